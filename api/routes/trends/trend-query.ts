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
  dayReadPlanOf,
  trendOf,
  type Filters,
  type GroupKey,
  type MetricName,
  type Point,
  type Trend,
} from "../../../shared/domain/metrics";
import { INTERVALS, instantOfTimeSpec, isTimeSpec, isValidTimeZone, TIME_SPEC_EXAMPLES, TIME_SPEC_HINT } from "../../../shared/domain/time";
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

/**
 * A `from` or `to` value: a date (midnight in `tz`), a local time, an instant or a time relative
 * to now. Only its form is checked here; `instantOf` resolves it against the request's now and tz.
 */
export const timeSpecSchema = (what: string) =>
  z
    .string()
    .max(64)
    .refine(isTimeSpec, TIME_SPEC_HINT)
    .describe(`${what}. A date (2026-03-01: midnight in tz), a local time (2026-03-01T09:30, in tz), an instant (2026-03-01T09:30:00Z, 2026-03-01T09:30:00+02:00) or relative to now (now, -7d, -12h, -30m, -2w; a day is 24 hours)`)
    .meta({ examples: [...TIME_SPEC_EXAMPLES] });

export const tzSchema = (what: string) =>
  z.string().default("UTC").refine(isValidTimeZone, "must be an IANA time zone such as Europe/Amsterdam").describe(what);

/** The instant of a `from`/`to` value already checked by timeSpecSchema. */
export function instantOf(spec: string, now: Date, tz: string): Date {
  const at = instantOfTimeSpec(spec, now.getTime(), tz);
  if (!at) throw new ValidationError(TIME_SPEC_HINT, [{ path: "querystring", message: TIME_SPEC_HINT }]);
  return at;
}

export const trendQuerySchema = z
  .object({
    from: timeSpecSchema("start (inclusive); default: `to` minus 30 days").optional(),
    to: timeSpecSchema("end (exclusive); default: the next whole UTC hour").optional(),
    interval: z.enum(INTERVALS).default("day"),
    tz: tzSchema("IANA time zone of the buckets, and of dates and local times in from/to"),
    groupBy: listOf("dimensions (at most two)")
      .pipe(z.array(z.enum(GROUP_KEYS)).max(2, "takes at most two dimensions"))
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
  definition: z.string().describe("definition version, see docs/metrics.md"),
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
export function rangeOf(q: Pick<TrendQuery, "from" | "to"> & { tz?: string }, now: Date): { from: Date; to: Date } {
  const tz = q.tz ?? "UTC";
  const to = q.to ? instantOf(q.to, now, tz) : new Date(Math.ceil(now.getTime() / HOUR_MS) * HOUR_MS);
  const from = q.from ? instantOf(q.from, now, tz) : new Date(to.getTime() - DEFAULT_RANGE_DAYS * 24 * HOUR_MS);
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
  const trend = await queryRangeErrorsAs400(async () => {
    const sel = { ...rollupSelectionOf(metric, { ...opts, from: prev.from }), dayPlan: dayReadPlanOf(opts, prev.from) };
    const docs = await rollups.loadSeries(workspace, scope, sel, METRIC_MEASURES[metric]);
    return trendOf(metric, docs, opts);
  });
  return toResponse(trend);
}

/**
 * Runs a trend computation; the RangeError the pure code throws for a query it cannot answer
 * (an unknown zone, too many buckets) becomes a 400 on the query string.
 */
export async function queryRangeErrorsAs400<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof RangeError) throw new ValidationError(err.message, [{ path: "querystring", message: err.message }]);
    throw err;
  }
}

/** A point as answers show it. */
export const pointOut = (p: Pick<Point, "value" | "n" | "parts">) => ({ value: p.value, n: p.n, parts: p.parts });

function toResponse(t: Trend): TrendResponse {
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
  // Every group has a point at each bucket start: each start's ISO text is made once.
  const isoOf = new Map<number, string>();
  const startOf = (d: Date) => {
    let iso = isoOf.get(d.getTime());
    if (iso === undefined) isoOf.set(d.getTime(), (iso = d.toISOString()));
    return iso;
  };
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
      points: g.points.map((p) => ({ start: startOf(p.start), value: p.value, n: p.n, parts: p.parts })),
      total: pointOut(g.total),
      change: g.change,
    })),
  };
}
