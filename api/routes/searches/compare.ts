/**
 * Compares groups of a saved search's matches (customer segments by default) on one metric over
 * a range: each group's value with n, and every pair tested with the metric's significance test.
 */
import { z } from "zod";
import {
  GROUP_KEYS,
  METRIC_MEASURES,
  METRICS,
  rollupSelectionOf,
  dayReadPlanOf,
  seriesOf,
  testOf,
} from "../../../shared/domain/metrics";
import type { RollupsRepo } from "../../../shared/db/rollups-repo";
import { ValidationError } from "../../../shared/errors";
import { metricParamSchema, rangeOf, trendQuerySchema } from "../trends/trend-query";

const MAX_GROUPS = 10;

export const compareQuerySchema = trendQuerySchema
  .pick({ from: true, to: true, tz: true })
  .extend({
    metric: metricParamSchema,
    by: z.enum(GROUP_KEYS).default("segment"),
  })
  .strict();

const groupSchema = z.object({
  key: z.string().nullable().describe("the group's value; null = unknown"),
  value: z.number().nullable(),
  n: z.number(),
  parts: z.record(z.string(), z.number().nullable()),
});
export const compareResponseSchema = z.object({
  metric: z.string(),
  definition: z.string(),
  by: z.string(),
  from: z.string(),
  to: z.string(),
  groups: z.array(groupSchema),
  comparisons: z.array(
    z.object({
      a: z.string().nullable(),
      b: z.string().nullable(),
      delta: z.number().nullable().describe("value(a) - value(b)"),
      test: z.string(),
      statistic: z.number().nullable(),
      pValue: z.number().nullable(),
      significant: z.boolean(),
    }),
  ),
});

export async function compareSegments(
  rollups: RollupsRepo,
  workspace: string,
  scope: string,
  q: z.output<typeof compareQuerySchema>,
  now: Date,
): Promise<z.infer<typeof compareResponseSchema>> {
  const { from, to } = rangeOf(q, now);
  const opts = { from, to, interval: "month" as const, tz: q.tz, groupBy: [q.by] };
  let series;
  try {
    const docs = await rollups.loadSeries(workspace, scope, { ...rollupSelectionOf(q.metric, opts), dayPlan: dayReadPlanOf(opts) }, METRIC_MEASURES[q.metric]);
    series = seriesOf(q.metric, docs, opts);
  } catch (err) {
    if (err instanceof RangeError) throw new ValidationError(err.message, [{ path: "querystring", message: err.message }]);
    throw err;
  }
  // Largest groups first (seriesOf orders by n); an empty range still has one empty group.
  const groups = series.groups.filter((g) => g.total.n > 0).slice(0, MAX_GROUPS);
  const keyOf = (g: (typeof groups)[number]) => g.key[q.by] ?? null;
  const comparisons = [];
  for (let i = 0; i < groups.length; i++) {
    for (let j = i + 1; j < groups.length; j++) {
      const a = groups[i]!;
      const b = groups[j]!;
      const t = testOf(q.metric, a.totalMeasures, b.totalMeasures);
      comparisons.push({
        a: keyOf(a),
        b: keyOf(b),
        delta: a.total.value !== null && b.total.value !== null ? a.total.value - b.total.value : null,
        test: t.test,
        statistic: t.statistic,
        pValue: t.pValue,
        significant: t.significant,
      });
    }
  }
  return {
    metric: q.metric,
    definition: METRICS[q.metric].definition,
    by: q.by,
    from: from.toISOString(),
    to: to.toISOString(),
    groups: groups.map((g) => ({ key: keyOf(g), value: g.total.value, n: g.total.n, parts: g.total.parts })),
    comparisons,
  };
}
