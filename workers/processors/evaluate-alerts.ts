/**
 * Evaluates alert rules as their buckets complete (a scheduled job, every ALERT_TICK_MS). For each
 * enabled rule, every bucket that ended ALERT_SETTLE_MS ago and was not evaluated yet is read from
 * the rollups (the 5-minute cut below an hour), fed to the rule's detector, and the episode event
 * acted on: an alert opens (with why: rising terms and examples) and its notifications are queued,
 * an open alert records its peak, or resolves. History is never rescanned: a rule keeps its
 * detector state and the start of the last bucket it saw.
 *
 * Exactly once per bucket: the rule's state moves by compare-and-set on that start, and every
 * side effect of a bucket is idempotent (the alert's id comes from the rule and the bucket, the
 * notification jobs' ids from the alert), so a bucket re-run after a crash finds what the first
 * run did instead of doing it twice.
 */
import type { Job } from "bullmq";
import type { AlertRuleDoc, AlertRulesRepo } from "../../shared/db/alert-rules-repo";
import type { AlertDoc, AlertsRepo } from "../../shared/db/alerts-repo";
import type { RollupsRepo } from "../../shared/db/rollups-repo";
import { readTermItems } from "../../shared/db/term-items";
import { alertIdOf, type AlertReading, type AlertWhy, type Delivery } from "../../shared/domain/alerts/alert-doc";
import { EpisodeEvent } from "../../shared/domain/alerts/episodes";
import {
  ALERT_RESOLUTIONS, bucketMeasuresOf, dueBuckets, OVERDUE_FOLLOW_UPS, ruleSelectionOf, slotMeasuresOf,
} from "../../shared/domain/alerts/rule-series";
import type { FollowUpsRepo } from "../../shared/db/follow-ups-repo";
import type { Measures } from "../../shared/domain/metrics/contribution";
import { stepRule, type RuleState } from "../../shared/domain/alerts/rule-step";
import { textOf } from "../../shared/domain/items/text-of";
import type { MetricName } from "../../shared/domain/metrics/registry";
import type { Filters } from "../../shared/domain/metrics/series";
import { risingTermsOf, termDocOf, type TermDoc } from "../../shared/domain/terms";
import type { WorkerDeps } from "../deps";

/** Buckets one rule evaluates per tick at most (a worker that was down catches up over ticks). */
export const MAX_BUCKETS_PER_TICK = 288;
const DAY_MS = 86_400_000;
/** The usual traffic the spike's terms are compared with, and the most items read from it. */
const WHY_BACKGROUND_MS = 7 * DAY_MS;
const WHY_MAX_ITEMS = 5_000;
/** A tick of many rules reports progress this often (see workers/stall-deadline.ts). */
const PROGRESS_EVERY_RULES = 100;

export interface EvaluateAlertsDeps extends WorkerDeps {
  rules: AlertRulesRepo;
  alerts: AlertsRepo;
  rollups: RollupsRepo;
  followUps: Pick<FollowUpsRepo, "overdueAt">;
}

/** The item kind a metric counts (sentiment: what the rule filters on, else every kind). */
function kindOf(metric: MetricName, filters: Filters): string | undefined {
  if (metric === "mentions") return "mention";
  if (metric === "nps" || metric === "csat" || metric === "ces") return "survey";
  if (metric === "sentiment") return typeof filters.kind === "string" ? filters.kind : filters.kind?.length === 1 ? filters.kind[0] : undefined;
  return "ticket";
}

export function makeEvaluateAlerts(deps: EvaluateAlertsDeps) {
  const { config, log } = deps;

  /** Items still on their way into the rollups (their buckets would look emptier than they are). */
  async function pipelineBusy(): Promise<boolean> {
    const waiting = await deps.cols.items.findOne(
      { $or: [{ pending: true }, { rollupDirty: { $exists: true } }] },
      { projection: { _id: 1 } },
    );
    return waiting !== null;
  }

  /**
   * The rule's bucket measures for bucket starts `starts` (sorted): from the rollups in one query
   * (per slot, then summed per bucket), or, for overdue follow-ups, one count per bucket end.
   */
  async function readBuckets(rule: AlertRuleDoc, starts: readonly number[]): Promise<(start: number) => Measures> {
    const lenMs = ALERT_RESOLUTIONS[rule.resolution] * 1_000;
    if (starts.length === 0) return () => ({});
    if (rule.metric === OVERDUE_FOLLOW_UPS) {
      const counts = new Map<number, number>();
      for (const s of starts) counts.set(s, (await deps.followUps.overdueAt(rule.workspace, new Date(s + lenMs), 0)).count);
      return (s) => ({ n: counts.get(s) ?? 0 });
    }
    const first = starts[0]!;
    const end = starts.at(-1)! + lenMs;
    const sel = ruleSelectionOf(rule.metric, rule.resolution, rule.filters, first, end);
    const slots = slotMeasuresOf(await deps.rollups.load(rule.workspace, rule.searchId ?? "all", sel, null), sel);
    return (s) => bucketMeasuresOf(slots, s, s + lenMs);
  }

  /** Terms rising inside the spike against the week before it, and a few of its items. */
  async function whyOf(rule: AlertRuleDoc, metric: MetricName, fromMs: number, toMs: number): Promise<AlertWhy> {
    const kind = kindOf(metric, rule.filters);
    const q = { workspace: rule.workspace, searchId: rule.searchId, kind, limit: WHY_MAX_ITEMS };
    const [fg, bg] = await Promise.all([
      readTermItems(deps.cols, { ...q, from: new Date(fromMs), to: new Date(toMs), withText: true }),
      readTermItems(deps.cols, { ...q, from: new Date(fromMs - WHY_BACKGROUND_MS), to: new Date(fromMs) }),
    ]);
    const fgDocs: TermDoc[] = fg.items.map(termDocOf);
    const terms = risingTermsOf(fgDocs, bg.items.map(termDocOf), { limit: 5, minCount: 2 });
    const top = terms[0]?.term;
    const withTop = top ? fg.items.filter((_, i) => fgDocs[i]!.terms.includes(top) || fgDocs[i]!.phrases?.some((p) => p.term === top)) : [];
    const examples = (withTop.length > 0 ? withTop : fg.items).slice(0, 3).map((i) => ({
      id: String(i.externalId ?? i._id),
      kind: i.kind,
      at: i.at,
      text: textOf(i).slice(0, 500),
    }));
    return {
      window: { from: new Date(fromMs), to: new Date(toMs) },
      background: { from: new Date(fromMs - WHY_BACKGROUND_MS), to: new Date(fromMs) },
      terms: terms.map((t) => ({ term: t.surface, current: t.current.count, currentShare: t.current.share, backgroundShare: t.background.share })),
      examples,
    };
  }

  /** The oldest follow-ups overdue at the bucket's end, as the alert's examples. */
  async function overdueWhy(rule: AlertRuleDoc, endMs: number): Promise<AlertWhy> {
    const { oldest } = await deps.followUps.overdueAt(rule.workspace, new Date(endMs), 3);
    return {
      window: { from: new Date(endMs), to: new Date(endMs) },
      background: { from: new Date(endMs), to: new Date(endMs) },
      terms: [],
      examples: oldest.map((d) => {
        const f = d.followUp;
        const customer = d.customer.id;
        return {
          id: String(d.externalId ?? d._id),
          kind: "survey",
          at: f.dueAt,
          text: `${String(d.surveyKind).toUpperCase()} ${String(d.score)} (${f.category})${customer ? ` from customer ${customer}` : ""}, due ${f.dueAt.toISOString()}`,
        };
      }),
    };
  }

  async function openAlert(rule: AlertRuleDoc, startMs: number, lenMs: number, opening: AlertReading): Promise<string> {
    const id = alertIdOf(rule._id, startMs);
    const windowMs = Math.max(lenMs, (opening.windowSec ?? 0) * 1_000);
    let why: AlertWhy | null = null;
    try {
      why = rule.metric === OVERDUE_FOLLOW_UPS ? await overdueWhy(rule, startMs + lenMs) : await whyOf(rule, rule.metric, startMs + lenMs - windowMs, startMs + lenMs);
    } catch (err) {
      log.warn({ rule: rule._id, err: (err as Error).message }, "could not explain an alert; it opens without terms");
    }
    const snoozed = rule.snoozedUntil !== undefined && rule.snoozedUntil.getTime() > deps.now().getTime();
    const deliveries: Delivery[] = rule.channels.map((c) => ({ channel: c.type, target: c.target, state: snoozed ? "snoozed" : "pending", attempts: 0 }));
    const doc: AlertDoc = {
      _id: id,
      workspace: rule.workspace,
      ruleId: rule._id,
      ruleName: rule.name,
      kind: rule.kind,
      metric: rule.metric,
      searchId: rule.searchId,
      resolution: rule.resolution,
      state: "open",
      openedAt: new Date(startMs),
      resolvedAt: null,
      opening,
      peak: opening,
      why,
      acknowledgedAt: null,
      acknowledgedBy: null,
      deliveries,
      createdAt: deps.now(),
    };
    const stored = await deps.alerts.open(doc);
    // Queued again when a re-run finds them still pending: the job id keeps it to one job, and the
    // sender skips a delivery that already went out.
    for (const [index, d] of stored.deliveries.entries()) {
      if (d.state !== "pending") continue;
      await deps.queues.deliverNotifications.add(
        "deliver",
        { alertId: id, index },
        {
          jobId: `${id}.${index}`,
          attempts: config.NOTIFY_ATTEMPTS,
          backoff: { type: "exponential", delay: config.NOTIFY_BACKOFF_MS },
        },
      );
    }
    log.info({ rule: rule._id, alert: id, value: opening.value, expected: opening.expected, snoozed }, "alert opened");
    return stored._id;
  }

  /**
   * A new rule's starting point. A spike rule learns from stored history up to the newest complete
   * bucket (events ignored: history is not news). A threshold rule has nothing to learn and starts
   * just before the newest bucket, so a condition that already holds (follow-ups overdue now) is
   * told at the next tick.
   */
  async function warmUp(rule: AlertRuleDoc, nowMs: number): Promise<void> {
    const lenMs = ALERT_RESOLUTIONS[rule.resolution] * 1_000;
    const [newest] = dueBuckets(null, ALERT_RESOLUTIONS[rule.resolution], nowMs, config.ALERT_SETTLE_MS, 1);
    if (newest === undefined) return;
    if (rule.kind === "threshold") {
      await deps.rules.advance(rule._id, null, rule.updatedAt, { lastStart: newest - lenMs }, null);
      return;
    }
    const starts: number[] = [];
    for (let s = newest - Math.floor((config.ALERT_WARMUP_DAYS * DAY_MS) / lenMs) * lenMs; s <= newest; s += lenMs) starts.push(s);
    const measuresAt = await readBuckets(rule, starts);
    let state: RuleState = { lastStart: null };
    let seenData = false;
    for (const s of starts) {
      const m = measuresAt(s);
      // Empty buckets before the series' first data would teach the detector a silence that
      // never was (e.g. before the 5-minute cut existed); the newest bucket is always taken.
      if (!seenData && !(m.n ?? 0) && s < newest) continue;
      seenData = true;
      state = stepRule(rule, state, s, m).state;
    }
    await deps.rules.advance(rule._id, null, rule.updatedAt, state, null);
  }

  async function evaluateRule(rule: AlertRuleDoc, nowMs: number, busy: boolean): Promise<number> {
    if (rule.state.lastStart === null) {
      await warmUp(rule, nowMs);
      return 0;
    }
    const resSec = ALERT_RESOLUTIONS[rule.resolution];
    const lenMs = resSec * 1_000;
    const starts = dueBuckets(rule.state.lastStart, resSec, nowMs, config.ALERT_SETTLE_MS, MAX_BUCKETS_PER_TICK).filter(
      (s) => !busy || s + lenMs + config.ALERT_MAX_WAIT_MS <= nowMs,
    );
    if (starts.length === 0) return 0;
    const measuresAt = await readBuckets(rule, starts);
    let state = rule.state;
    let openAlertId = rule.openAlertId;
    let done = 0;
    for (const s of starts) {
      const step = stepRule(rule, state, s, measuresAt(s));
      if (step.event === EpisodeEvent.Opened) {
        openAlertId = await openAlert(rule, s, lenMs, step.reading);
      } else if (step.event === EpisodeEvent.Ongoing && openAlertId) {
        await deps.alerts.ongoing(openAlertId, step.reading);
      } else if (step.event === EpisodeEvent.Resolved && openAlertId) {
        await deps.alerts.resolve(openAlertId, new Date(s + lenMs));
        log.info({ rule: rule._id, alert: openAlertId }, "alert resolved");
        openAlertId = null;
      }
      if (!(await deps.rules.advance(rule._id, state.lastStart, rule.updatedAt, step.state, openAlertId))) return done; // moved by another evaluation, or the rule changed
      state = step.state;
      done++;
    }
    return done;
  }

  return async function evaluateAlerts(job: Job): Promise<{ rules: number; buckets: number }> {
    const nowMs = deps.now().getTime();
    const busy = await pipelineBusy();
    let buckets = 0;
    const rules = await deps.rules.enabled();
    for (const [i, rule] of rules.entries()) {
      try {
        buckets += await evaluateRule(rule, nowMs, busy);
      } catch (err) {
        // One rule's failure (a deleted search, a bad stored state) must not stop the others.
        log.warn({ rule: rule._id, err: (err as Error).message }, "alert rule evaluation failed");
      }
      // Progress keeps a tick of many rules clear of the stall deadline (JOB_STALL_MS).
      if ((i + 1) % PROGRESS_EVERY_RULES === 0) await job.updateProgress({ rules: i + 1, of: rules.length });
    }
    return { rules: rules.length, buckets };
  };
}
