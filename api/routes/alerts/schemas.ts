/**
 * Request and response shapes of alert rules and alerts, and the checks zod cannot express alone
 * (a spike form for the metric, filters the resolution's buckets keep, safe notification URLs),
 * each failing with the field named.
 */
import { z } from "zod";
import type { AlertRuleDoc } from "../../../shared/db/alert-rules-repo";
import type { AlertDoc } from "../../../shared/db/alerts-repo";
import { notificationUrlProblem } from "../../../shared/domain/alerts/alert-doc";
import { ALERT_METRIC_NAMES, ALERT_RESOLUTION_NAMES, FINE_FILTERS, isSpikeMetric, OVERDUE_FOLLOW_UPS, readsFineCut, SPIKE_METRICS } from "../../../shared/domain/alerts/rule-series";
import { GROUP_KEYS } from "../../../shared/domain/metrics/contribution";
import { ValidationError, type FieldIssue } from "../../../shared/errors";

const channelInput = z.discriminatedUnion("type", [
  z.object({ type: z.literal("slack"), url: z.string().max(2_000).describe("a Slack incoming-webhook URL") }).strict(),
  z
    .object({
      type: z.literal("webhook"),
      url: z.string().max(2_000),
      secret: z.string().min(16, "must be at least 16 characters").max(200).describe("the receiver checks X-Undercurrent-Signature with it"),
    })
    .strict(),
]);

const filterValues = z.union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).min(1).max(50)]);

/** A rule's fields without defaults: a change (PATCH) leaves out what it does not change. */
const ruleFields = {
  name: z.string().trim().min(1).max(200),
  kind: z.enum(["spike", "threshold"]),
  metric: z.enum(ALERT_METRIC_NAMES).describe("a metric of /v1/trends, or overdue-follow-ups (survey follow-ups past due at each bucket's end; threshold rules of 1h or 1d)"),
  searchId: z.string().regex(/^s[0-9a-f]{16}$/, "is not a saved-search id").nullable(),
  filters: z.partialRecord(z.enum(GROUP_KEYS), filterValues).describe("as in /v1/trends; below 1h only kind and surveyKind"),
  resolution: z.enum(ALERT_RESOLUTION_NAMES),
  sensitivity: z.enum(["low", "medium", "high"]).describe("spike rules: how unusual a bucket must be"),
  threshold: z
    .object({
      bound: z.number().finite(),
      direction: z.enum(["above", "below"]),
      minN: z.number().int().min(1).max(1_000_000).default(20).describe("fewer items behind the value: the bucket is not judged"),
    })
    .strict()
    .optional(),
  channels: z.array(channelInput).max(10),
  enabled: z.boolean(),
};

export const ruleInputSchema = z
  .object({
    ...ruleFields,
    searchId: ruleFields.searchId.default(null),
    filters: ruleFields.filters.default({}),
    resolution: ruleFields.resolution.default("15m"),
    sensitivity: ruleFields.sensitivity.default("medium"),
    channels: ruleFields.channels.default([]),
    enabled: ruleFields.enabled.default(true),
  })
  .strict();
export type RuleInputBody = z.output<typeof ruleInputSchema>;
/**
 * Without the defaults of a new rule: a default here would reset what the change leaves out (a
 * PATCH of the name alone used to drop the rule's channels and reset its search, resolution and
 * sensitivity, restarting its detector).
 */
export const rulePatchSchema = z.object(ruleFields).partial().strict();

export const ruleIdParams = z.object({ id: z.string().regex(/^r[0-9a-f]{16}$/, "is not an alert-rule id") });

/** The checks across fields; throws a 400 naming each failing field. */
export function checkRule(r: RuleInputBody, requireHttps: boolean): void {
  const issues: FieldIssue[] = [];
  if (r.kind === "spike" && !isSpikeMetric(r.metric) && r.metric !== OVERDUE_FOLLOW_UPS) {
    issues.push({ path: "body.metric", message: `has no spike form (spikes: ${SPIKE_METRICS.join(", ")}); use a threshold rule` });
  }
  if (r.metric === OVERDUE_FOLLOW_UPS) {
    if (r.kind !== "threshold") issues.push({ path: "body.kind", message: "must be threshold for overdue-follow-ups (e.g. above 0 with minN 1)" });
    if (readsFineCut(r.resolution)) issues.push({ path: "body.resolution", message: "must be 1h or 1d for overdue-follow-ups" });
    if (r.searchId) issues.push({ path: "body.searchId", message: "does not apply to overdue-follow-ups" });
    if (Object.keys(r.filters).length > 0) issues.push({ path: "body.filters", message: "do not apply to overdue-follow-ups" });
  }
  if (r.kind === "threshold" && !r.threshold) issues.push({ path: "body.threshold", message: "is required for a threshold rule" });
  if (r.kind === "spike" && r.threshold) issues.push({ path: "body.threshold", message: "applies to threshold rules only" });
  if (readsFineCut(r.resolution)) {
    for (const k of Object.keys(r.filters)) {
      if (!(FINE_FILTERS as readonly string[]).includes(k)) {
        issues.push({
          path: `body.filters.${k}`,
          message: `needs a resolution of 1h or 1d (buckets under an hour keep only ${FINE_FILTERS.join(" and ")}); or put the condition in a saved search`,
        });
      }
    }
  }
  r.channels.forEach((c, i) => {
    const problem = notificationUrlProblem(c.url, requireHttps);
    if (problem) issues.push({ path: `body.channels.${i}.url`, message: problem });
  });
  if (issues.length > 0) throw new ValidationError(issues.map((i) => `${i.path} ${i.message}`).join("; "), issues);
}

const readingSchema = z.object({
  at: z.string(),
  value: z.number().nullable(),
  n: z.number(),
  expected: z.number().nullable().describe("spikes: expected count; thresholds: the bound"),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  z: z.number().nullable(),
  windowSec: z.number().nullable(),
});

export const ruleSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(["spike", "threshold"]),
  metric: z.enum(ALERT_METRIC_NAMES),
  searchId: z.string().nullable(),
  filters: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  resolution: z.enum(ALERT_RESOLUTION_NAMES),
  sensitivity: z.enum(["low", "medium", "high"]),
  threshold: z.object({ bound: z.number(), direction: z.enum(["above", "below"]), minN: z.number() }).nullable(),
  channels: z.array(z.object({ type: z.enum(["slack", "webhook"]), target: z.string().describe("scheme and host only") })),
  enabled: z.boolean(),
  snoozedUntil: z.string().nullable(),
  lastBucket: z.string().nullable().describe("start of the last bucket evaluated"),
  openAlertId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export function ruleOut(d: AlertRuleDoc): z.infer<typeof ruleSchema> {
  return {
    id: d._id,
    name: d.name,
    kind: d.kind,
    metric: d.metric,
    searchId: d.searchId,
    filters: d.filters as Record<string, string | string[]>,
    resolution: d.resolution,
    sensitivity: d.sensitivity,
    threshold: d.threshold ?? null,
    channels: d.channels.map((c) => ({ type: c.type, target: c.target })),
    enabled: d.enabled,
    snoozedUntil: d.snoozedUntil?.toISOString() ?? null,
    lastBucket: d.state.lastStart === null ? null : new Date(d.state.lastStart).toISOString(),
    openAlertId: d.openAlertId,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}

export const alertSchema = z.object({
  id: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  kind: z.enum(["spike", "threshold"]),
  metric: z.enum(ALERT_METRIC_NAMES),
  searchId: z.string().nullable(),
  resolution: z.enum(ALERT_RESOLUTION_NAMES),
  state: z.enum(["open", "resolved"]),
  openedAt: z.string(),
  resolvedAt: z.string().nullable(),
  opening: readingSchema.describe("the bucket that opened the alert: what came and what was expected"),
  peak: readingSchema,
  why: z
    .object({
      window: z.object({ from: z.string(), to: z.string() }),
      background: z.object({ from: z.string(), to: z.string() }),
      terms: z.array(z.object({ term: z.string(), current: z.number(), currentShare: z.number(), backgroundShare: z.number() })),
      examples: z.array(z.object({ id: z.string(), kind: z.string(), at: z.string(), text: z.string() })),
    })
    .nullable()
    .describe("terms rising inside the spike against the week before it, and a few of its items"),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  deliveries: z.array(
    z.object({
      channel: z.enum(["slack", "webhook"]),
      target: z.string(),
      state: z.enum(["pending", "retrying", "delivered", "failed", "snoozed"]),
      attempts: z.number(),
      lastError: z.string().optional(),
      deliveredAt: z.string().optional(),
    }),
  ),
});

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const readingOut = (r: AlertDoc["opening"]) => ({ ...r, at: r.at.toISOString(), windowSec: r.windowSec ?? null });

export function alertOut(d: AlertDoc): z.infer<typeof alertSchema> {
  return {
    id: d._id,
    ruleId: d.ruleId,
    ruleName: d.ruleName,
    kind: d.kind,
    metric: d.metric,
    searchId: d.searchId,
    resolution: d.resolution,
    state: d.state,
    openedAt: d.openedAt.toISOString(),
    resolvedAt: iso(d.resolvedAt),
    opening: readingOut(d.opening),
    peak: readingOut(d.peak),
    why: d.why
      ? {
          window: { from: d.why.window.from.toISOString(), to: d.why.window.to.toISOString() },
          background: { from: d.why.background.from.toISOString(), to: d.why.background.to.toISOString() },
          terms: d.why.terms,
          examples: d.why.examples.map((e) => ({ ...e, at: e.at.toISOString() })),
        }
      : null,
    acknowledgedAt: iso(d.acknowledgedAt),
    acknowledgedBy: d.acknowledgedBy,
    deliveries: d.deliveries.map((x) => ({ ...x, ...(x.deliveredAt ? { deliveredAt: x.deliveredAt.toISOString() } : { deliveredAt: undefined }) })),
  };
}
