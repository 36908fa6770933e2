/**
 * /v1/trends/{churn-rate|retention-rate|customers|revenue-churn-rate}: the same parameters and
 * answer shape as the item metrics, computed per query from the workspace's customers (see
 * shared/domain/customers/metrics.ts for why not from rollups). The customers collection is read
 * by its workspace index; a workspace's customers are few compared with its items.
 */
import {
  customerTrendOf,
  type CustomerMetricName,
} from "../../../shared/domain/customers";
import type { CustomersRepo } from "../../../shared/db/customers-repo";
import { assertPointsWithinLimit, filtersOf, pointOut, queryRangeErrorsAs400, rangeOf, type TrendQuery, type TrendResponse } from "./trend-query";

export async function answerCustomerTrend(
  customers: CustomersRepo,
  workspace: string,
  metric: CustomerMetricName,
  q: TrendQuery,
  now: Date,
): Promise<TrendResponse> {
  const { from, to } = rangeOf(q, now);
  assertPointsWithinLimit(from, to, q.interval);
  const all = await customers.loadForChurn(workspace);
  const trend = await queryRangeErrorsAs400(() => customerTrendOf(metric, all, { from, to, interval: q.interval, tz: q.tz, groupBy: q.groupBy ?? [], filters: filtersOf(q), now }));
  return {
    metric,
    definition: trend.definition,
    unit: trend.unit,
    interval: q.interval,
    tz: q.tz,
    from: from.toISOString(),
    to: to.toISOString(),
    previous: { from: trend.previousFrom.toISOString(), to: trend.previousTo.toISOString() },
    groupBy: [...(q.groupBy ?? [])],
    ...(trend.corrected > 0
      ? {
          recomputed: {
            customers: trend.corrected,
            message:
              `recomputed: ${trend.corrected} customer(s) changed after ${to.toISOString()} (a late cancellation or a corrected date); ` +
              "these figures differ from those that could be given when the range ended",
          },
        }
      : {}),
    groups: trend.groups.map((g) => ({
      key: g.key as Record<string, string | null>,
      points: g.points.map((p) => ({ start: p.start.toISOString(), ...pointOut(p) })),
      total: pointOut(g.total),
      change: g.change,
    })),
  };
}
