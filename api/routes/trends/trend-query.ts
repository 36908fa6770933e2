/**
 * The trend query every trend route shares (global and per saved search): parameters, their
 * validation, and the answer built from rollups only.
 */
import { z } from "zod";
import {
  GROUP_KEYS,
  METRIC_MEASURES,
  METRIC_NAMES,
  previousRange,
  rollupSelectionOf,
  trendOf,
  type Filters,
  type GroupKey,
  type MetricName,
  type Point,
  type Trend,
} from "../../../shared/domain/metrics";
import { INTERVALS, isValidTimeZone } from "../../../shared/domain/time";
import type { RollupsRepo } from "../../../shared/db/rollups-repo";
import { ValidationError } from "../../../shared/errors";

const DEFAULT_RANGE_DAYS = 30;
const HOUR_MS = 3_600_000;

/**
 * Limits of one answer, checked before the work they bound: points per series (the range divided
 * by the interval) and groups per answer (the largest kept). A year by hour with two group-bys
 * once answered 205 MB; these keep an answer to a few MB at most.
 */
export const MAX_POINTS_PER_SERIES = 2_000;
export const MAX_GROUPS_PER_ANSWER = 200;
/** Shortest length of each interval, so the estimate never undercounts the points. */
const INTERVAL_MIN_MS: Record<(typeof INTERVALS)[number], number> = {
  hour: HOUR_MS, day: 23 * HOUR_MS, week: 7 * 24 * HOUR_MS - HOUR_MS, month: 28 * 24 * HOUR_MS - HOUR_MS,
};

const listOf = (what: string) =>
  z
    .string()
    .max(2_000)
    .transform((s) => s.split(",").map((v) => v.trim()).filter(Boolean))
    .describe(`comma-separated ${what}`);

const filterShape = Object.fromEntries(GROUP_KEYS.map((k) => [k, listOf(`${k} values to keep`).optional()])) as Record<
  GroupKey,
  z.ZodOptional<ReturnType<typeof listOf>>
>;

export const trendQuerySchema = z
  .object({
    from: z.iso.datetime({ offset: true }).optional().describe("start (inclusive); default: `to` minus 30 days"),
    to: z.iso.datetime({ offset: true }).optional().describe("end (exclusive); default: the next whole UTC hour"),
    interval: z.enum(INTERVALS).default("day"),
    tz: z
      .string()
      .default("UTC")
      .refine(isValidTimeZone, "must be an IANA time zone such as Europe/Amsterdam")
      .describe("IANA time zone of the buckets"),
    groupBy: listOf("dimensions (at most two)")
      .pipe(z.array(z.enum(GROUP_KEYS as unknown as [GroupKey, ...GroupKey[]])).max(2, "takes at most two dimensions"))
      .optional(),
    ...filterShape,
  })
  .strict();
export type TrendQuery = z.output<typeof trendQuerySchema>;

export const metricParamSchema = z.enum(METRIC_NAMES);

const pointSchema = z.object({
  value: z.number().nullable(),
  n: z.number(),
  parts: z.record(z.string(), z.number().nullable()),
});
const changeSchema = z.object({
  previous: z.number().nullable(),
  delta: z.number().nullable(),
  test: z.string(),
  statistic: z.number().nullable(),
  pValue: z.number().nullable(),
  significant: z.boolean(),
});
export const trendResponseSchema = z.object({
  metric: z.string(),
  definition: z.string().describe("definition version, see docs/metrics"),
  unit: z.string(),
  interval: z.enum(INTERVALS),
  tz: z.string(),
  from: z.string(),
  to: z.string(),
  previous: z.object({ from: z.string(), to: z.string() }),
  groupBy: z.array(z.string()),
  groups: z.array(
    z.object({
      key: z.record(z.string(), z.string().nullable()),
      points: z.array(pointSchema.extend({ start: z.string() })),
      total: pointSchema,
      change: changeSchema,
    }),
  ),
  recomputed: z
    .object({ customers: z.number().int(), message: z.string() })
    .optional()
    .describe("customer metrics: present when versions received after the range ended (late cancellations, corrected dates) changed its numbers, which were recomputed from every version"),
  truncated: z
    .object({ groups: z.number().int(), kept: z.number().int(), hint: z.string() })
    .optional()
    .describe(`present when the answer had more than ${MAX_GROUPS_PER_ANSWER} groups: the largest (by total n) are kept`),
});
export type TrendResponse = z.infer<typeof trendResponseSchema>;

/** Resolves defaults and checks the range; throws ValidationError naming the parameter. */
export function rangeOf(q: Pick<TrendQuery, "from" | "to">, now: Date): { from: Date; to: Date } {
  const to = q.to ? new Date(q.to) : new Date(Math.ceil(now.getTime() / HOUR_MS) * HOUR_MS);
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - DEFAULT_RANGE_DAYS * 24 * HOUR_MS);
  if (from.getTime() >= to.getTime()) throw new ValidationError("from must be before to", [{ path: "querystring.from", message: "must be before to" }]);
  return { from, to };
}

/** Refuses (400 naming `interval`) a range with more points per series than one answer gives. */
export function assertPointsWithinLimit(from: Date, to: Date, interval: TrendQuery["interval"]): void {
  const points = Math.ceil((to.getTime() - from.getTime()) / INTERVAL_MIN_MS[interval]);
  if (points > MAX_POINTS_PER_SERIES) {
    const message =
      `${interval} buckets from ${from.toISOString()} to ${to.toISOString()} make about ${points} points per series; ` +
      `the most one answer gives is ${MAX_POINTS_PER_SERIES}: choose a coarser interval or a shorter range`;
    throw new ValidationError(message, [{ path: "querystring.interval", message }]);
  }
}

export function filtersOf(q: TrendQuery): Filters {
  const out: Filters = {};
  for (const k of GROUP_KEYS) {
    const v = q[k];
    if (v && v.length) out[k] = v;
  }
  return out;
}

/** One metric's trend for a workspace and scope ("all" or a saved-search id). */
export async function answerTrend(
  rollups: RollupsRepo,
  workspace: string,
  scope: string,
  metric: MetricName,
  q: TrendQuery,
  now: Date,
): Promise<TrendResponse> {
  const { from, to } = rangeOf(q, now);
  assertPointsWithinLimit(from, to, q.interval);
  const opts = { from, to, interval: q.interval, tz: q.tz, groupBy: q.groupBy ?? [], filters: filtersOf(q) };
  const prev = previousRange(from, to);
  let trend: Trend;
  try {
    const docs = await rollups.load(workspace, scope, rollupSelectionOf(metric, { ...opts, from: prev.from }), METRIC_MEASURES[metric]);
    trend = trendOf(metric, docs, opts);
  } catch (err) {
    if (err instanceof RangeError) throw new ValidationError(err.message, [{ path: "querystring", message: err.message }]);
    throw err;
  }
  return toResponse(trend);
}

function toResponse(t: Trend): TrendResponse {
  const point = (p: Point) => ({ value: p.value, n: p.n, parts: p.parts });
  let groups = t.groups;
  let truncated: TrendResponse["truncated"];
  if (groups.length > MAX_GROUPS_PER_ANSWER) {
    groups = [...groups].sort((a, b) => b.total.n - a.total.n).slice(0, MAX_GROUPS_PER_ANSWER);
    truncated = {
      groups: t.groups.length,
      kept: groups.length,
      hint: `only the ${MAX_GROUPS_PER_ANSWER} largest groups are shown: filter (e.g. ${t.groupBy[0] ?? "tag"}=a,b) or group by fewer dimensions`,
    };
  }
  return {
    metric: t.metric,
    definition: t.definition,
    unit: t.unit,
    interval: t.interval,
    tz: t.tz,
    from: t.from.toISOString(),
    to: t.to.toISOString(),
    previous: { from: t.previousFrom.toISOString(), to: t.previousTo.toISOString() },
    groupBy: t.groupBy,
    ...(truncated ? { truncated } : {}),
    groups: groups.map((g) => ({
      key: g.key as Record<string, string | null>,
      points: g.points.map((p) => ({ start: p.start.toISOString(), ...point(p) })),
      total: point(g.total),
      change: g.change,
    })),
  };
}
