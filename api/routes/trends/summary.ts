/**
 * The summary: for one range, volume by channel, FCR, reopen rate, resolution and first-response times (mean
 * and median), sentiment split and NPS/CSAT/CES, each with its change against the previous period.
 */
import { z } from "zod";
import type { RollupsRepo } from "../../../shared/db/rollups-repo";
import type { MetricName } from "../../../shared/domain/metrics";
import { answerTrend, trendQuerySchema, type TrendResponse } from "./trend-query";

export const summaryQuerySchema = trendQuerySchema.omit({ interval: true, groupBy: true });
type SummaryQuery = z.output<typeof summaryQuerySchema>;

const figureSchema = z.object({
  definition: z.string(),
  value: z.number().nullable(),
  n: z.number(),
  parts: z.record(z.string(), z.number().nullable()),
  change: z.object({
    previous: z.number().nullable(),
    delta: z.number().nullable(),
    test: z.string(),
    pValue: z.number().nullable(),
    significant: z.boolean(),
  }),
});
type Figure = z.infer<typeof figureSchema>;

export const summaryResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  tz: z.string(),
  previous: z.object({ from: z.string(), to: z.string() }),
  volume: figureSchema.extend({ byChannel: z.array(figureSchema.extend({ channel: z.string().nullable() })) }),
  mentions: figureSchema,
  fcr: figureSchema,
  reopenRate: figureSchema,
  resolutionTime: figureSchema,
  firstResponseTime: figureSchema,
  sentiment: figureSchema,
  nps: figureSchema,
  csat: figureSchema,
  ces: figureSchema,
});
export type SummaryResponse = z.infer<typeof summaryResponseSchema>;

function figureOf(t: TrendResponse, group = t.groups[0]): Figure {
  const { statistic: _s, ...change } = group?.change ?? {
    previous: null, delta: null, test: "none", statistic: null, pValue: null, significant: false,
  };
  return {
    definition: t.definition,
    value: group?.total.value ?? null,
    n: group?.total.n ?? 0,
    parts: group?.total.parts ?? {},
    change,
  };
}

export async function answerSummary(
  rollups: RollupsRepo,
  workspace: string,
  scope: string,
  q: SummaryQuery,
  now: Date,
): Promise<SummaryResponse> {
  // One interval over the whole range: the summary needs totals, not series.
  const ask = (metric: MetricName, groupBy: string[] = []) =>
    answerTrend(rollups, workspace, scope, metric, { ...q, interval: "month", groupBy: groupBy as never }, now);
  const [volume, byChannel, mentions, fcr, reopen, resolution, firstResponse, sentiment, nps, csat, ces] = await Promise.all([
    ask("volume"), ask("volume", ["channel"]), ask("mentions"), ask("fcr"), ask("reopen-rate"), ask("resolution-time"),
    ask("first-response-time"), ask("sentiment"), ask("nps"), ask("csat"), ask("ces"),
  ]);
  return {
    from: volume.from,
    to: volume.to,
    tz: volume.tz,
    previous: volume.previous,
    volume: {
      ...figureOf(volume),
      byChannel: byChannel.groups.map((g) => ({ channel: g.key.channel ?? null, ...figureOf(byChannel, g) })),
    },
    mentions: figureOf(mentions),
    fcr: figureOf(fcr),
    reopenRate: figureOf(reopen),
    resolutionTime: figureOf(resolution),
    firstResponseTime: figureOf(firstResponse),
    sentiment: figureOf(sentiment),
    nps: figureOf(nps),
    csat: figureOf(csat),
    ces: figureOf(ces),
  };
}
