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
import { ALERT_RESOLUTIONS, bucketMeasuresOf, dueBuckets, ruleSelectionOf, slotMeasuresOf, type SlotMeasures } from "../../shared/domain/alerts/rule-series";
import { stepRule, type RuleState } from "../../shared/domain/alerts/rule-step";
import { textOf } from "../../shared/domain/items/text-of";
import type { MetricName } from "../../shared/domain/metrics/registry";
import type { Filters } from "../../shared/domain/metrics/series";
import { risingTermsOf, termDocOf, type TermDoc, type TermDocInput } from "../../shared/domain/terms";
import type { WorkerDeps } from "../deps";

/** Buckets one rule evaluates per tick at most (a worker that was down catches up over ticks). */
export const MAX_BUCKETS_PER_TICK = 288;
const DAY_MS = 86_400_000;
/** The usual traffic the spike's terms are compared with, and the most items read from it. */
const WHY_BACKGROUND_MS = 7 * DAY_MS;
const WHY_MAX_ITEMS = 5_000;

export interface EvaluateAlertsDeps extends WorkerDeps {
  rules: AlertRulesRepo;
  alerts: AlertsRepo;
  rollups: RollupsRepo;
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

  /** The rule's series per slot over `[startMs, endMs)`, read from the rollups in one query. */
  async function loadSlots(rule: AlertRuleDoc, startMs: number, endMs: number): Promise<SlotMeasures> {
    const sel = ruleSelectionOf(rule.metric, rule.resolution, rule.filters, startMs, endMs);
    const docs = await deps.rollups.load(rule.workspace, rule.searchId ?? "all", sel, null);
    return slotMeasuresOf(docs, sel);
  }

  /** Terms rising inside the spike against the week before it, and a few of its items. */
  async function whyOf(rule: AlertRuleDoc, fromMs: number, toMs: number): Promise<AlertWhy> {
    const kind = kindOf(rule.metric, rule.filters);
    const q = { workspace: rule.workspace, searchId: rule.searchId, kind, limit: WHY_MAX_ITEMS };
    const [fg, bg] = await Promise.all([
      readTermItems(deps.cols, { ...q, from: new Date(fromMs), to: new Date(toMs), withText: true }),
      readTermItems(deps.cols, { ...q, from: new Date(fromMs - WHY_BACKGROUND_MS), to: new Date(fromMs) }),
    ]);
    const fgDocs: TermDoc[] = fg.items.map((i) => termDocOf(i as unknown as TermDocInput));
    const terms = risingTermsOf(fgDocs, bg.items.map((i) => termDocOf(i as unknown as TermDocInput)), { limit: 5, minCount: 2 });
    const top = terms[0]?.term;
    const withTop = top ? fg.items.filter((_, i) => fgDocs[i]!.terms.includes(top) || fgDocs[i]!.phrases?.some((p) => p.term === top)) : [];
    const examples = (withTop.length > 0 ? withTop : fg.items).slice(0, 3).map((i) => ({
      id: String(i.externalId ?? i._id),
      kind: i.kind,
      at: i.at as Date,
      text: textOf(i as Parameters<typeof textOf>[0]).slice(0, 500),
    }));
    return {
      window: { from: new Date(fromMs), to: new Date(toMs) },
      background: { from: new Date(fromMs - WHY_BACKGROUND_MS), to: new Date(fromMs) },
      terms: terms.map((t) => ({ term: t.surface, current: t.current.count, currentShare: t.current.share, backgroundShare: t.background.share })),
      examples,
    };
  }

  async function openAlert(rule: AlertRuleDoc, startMs: number, lenMs: number, opening: AlertReading): Promise<string> {
    const id = alertIdOf(rule._id, startMs);
    const windowMs = Math.max(lenMs, (opening.windowSec ?? 0) * 1_000);
    let why: AlertWhy | null = null;
    try {
      why = await whyOf(rule, startMs + lenMs - windowMs, startMs + lenMs);
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

  /** A new rule learns from stored history (events ignored) and starts at the newest complete bucket. */
  async function warmUp(rule: AlertRuleDoc, nowMs: number): Promise<void> {
    const lenMs = ALERT_RESOLUTIONS[rule.resolution] * 1_000;
    const [newest] = dueBuckets(null, ALERT_RESOLUTIONS[rule.resolution], nowMs, config.ALERT_SETTLE_MS, 1);
    if (newest === undefined) return;
    const from = newest - Math.floor((config.ALERT_WARMUP_DAYS * DAY_MS) / lenMs) * lenMs;
    let state: RuleState = { lastStart: null };
    if (from < newest) {
      const slots = await loadSlots(rule, from, newest);
      let seenData = false;
      for (let s = from; s < newest; s += lenMs) {
        const m = bucketMeasuresOf(slots, s, s + lenMs);
        // Empty buckets before the series' first data would teach the detector a silence that
        // never was (e.g. before the 5-minute cut existed).
        if (!seenData && !(m.n ?? m.hn ?? 0)) continue;
        seenData = true;
        state = stepRule(rule, state, s, m).state;
      }
    }
    // The newest bucket is the warm-up's last: live evaluation starts after it.
    const last = await loadSlots(rule, newest, newest + lenMs);
    state = stepRule(rule, state, newest, bucketMeasuresOf(last, newest, newest + lenMs)).state;
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
    const slots = await loadSlots(rule, starts[0]!, starts.at(-1)! + lenMs);
    let state = rule.state;
    let openAlertId = rule.openAlertId;
    let done = 0;
    for (const s of starts) {
      const step = stepRule(rule, state, s, bucketMeasuresOf(slots, s, s + lenMs));
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

  return async function evaluateAlerts(_job: Job): Promise<{ rules: number; buckets: number }> {
    const nowMs = deps.now().getTime();
    const busy = await pipelineBusy();
    let buckets = 0;
    const rules = await deps.rules.enabled();
    for (const rule of rules) {
      try {
        buckets += await evaluateRule(rule, nowMs, busy);
      } catch (err) {
        // One rule's failure (a deleted search, a bad stored state) must not stop the others.
        log.warn({ rule: rule._id, err: (err as Error).message }, "alert rule evaluation failed");
      }
    }
    return { rules: rules.length, buckets };
  };
}
