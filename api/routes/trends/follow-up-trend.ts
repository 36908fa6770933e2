/**
 * /v1/trends/{follow-up-rate|follow-up-time}: the same parameters and answer shape as the other
 * metrics, computed per query from the follow-ups (one per survey answer that needs one, read by
 * their due-time or follow-up-time index). Split by category in `parts`; no group-bys or filters.
 */
import { followUpTrendOf, type FollowUpMetricName } from "../../../shared/domain/follow-ups";
import type { FollowUpsRepo } from "../../../shared/db/follow-ups-repo";
import { ValidationError } from "../../../shared/errors";
import { assertPointsWithinLimit, filtersOf, pointOut, queryRangeErrorsAs400, rangeOf, type TrendQuery, type TrendResponse } from "./trend-query";

export async function answerFollowUpTrend(
  followUps: FollowUpsRepo,
  workspace: string,
  metric: FollowUpMetricName,
  q: TrendQuery,
  now: Date,
): Promise<TrendResponse> {
  const { from, to } = rangeOf(q, now);
  assertPointsWithinLimit(from, to, q.interval);
  const unsupported = [...(q.groupBy ?? []), ...Object.keys(filtersOf(q))];
  if (unsupported.length) {
    const message = `${metric} takes no group-by or filter (got ${unsupported.join(", ")}); its parts split it by category`;
    throw new ValidationError(message, [{ path: "querystring", message }]);
  }
  const prevFrom = new Date(from.getTime() - (to.getTime() - from.getTime()));
  const rows = await followUps.rows(workspace, metric === "follow-up-rate" ? "dueAt" : "doneAt", prevFrom, to);
  const t = await queryRangeErrorsAs400(() => followUpTrendOf(metric, rows, { from, to, interval: q.interval, tz: q.tz, now }));
  return {
    metric,
    definition: t.definition,
    unit: t.unit,
    interval: q.interval,
    tz: q.tz,
    from: from.toISOString(),
    to: to.toISOString(),
    previous: { from: t.previousFrom.toISOString(), to: from.toISOString() },
    groupBy: [],
    groups: [{ key: {}, points: t.points.map((p) => ({ start: p.start.toISOString(), ...pointOut(p) })), total: pointOut(t.total), change: t.change }],
  };
}
