/**
 * The trend metrics: which rollup family each reads, which definition version it answers with,
 * the unit of its value and the significance test product.md names for it.
 */
import type { TestName } from "../stats/tests";
import type { Dimension, Family } from "./contribution";

export const METRIC_NAMES = [
  "volume", "mentions", "fcr", "resolution-time", "first-response-time", "handle-time",
  "reopen-rate", "nps", "csat", "ces", "sentiment",
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export type MetricUnit = "count" | "percent" | "seconds" | "nps" | "score-1-5" | "score-1-7";

export interface MetricDef {
  name: MetricName;
  /** definition version written into every answer, e.g. "fcr.v1" */
  definition: string;
  family: Family;
  /** dimension values every document must have (e.g. surveyKind "nps" for the nps metric) */
  where: Partial<Record<Dimension, string>>;
  /** unit of the point `value` (percent is 0-100, nps is -100..100) */
  unit: MetricUnit;
  test: TestName;
  /** the measure that is the point's `n` */
  nMeasure: string;
  description: string;
}

const def = (d: Omit<MetricDef, "where" | "nMeasure"> & Partial<Pick<MetricDef, "where" | "nMeasure">>): MetricDef => ({
  where: {},
  nMeasure: "n",
  ...d,
});

export const METRICS: Readonly<Record<MetricName, MetricDef>> = {
  volume: def({
    name: "volume", definition: "volume.v1", family: "tickets_created", unit: "count", test: "poisson-rate",
    description: "tickets created, bucketed by createdAt",
  }),
  mentions: def({
    name: "mentions", definition: "mentions.v1", family: "mentions", unit: "count", test: "poisson-rate",
    description: "mentions posted, bucketed by postedAt; parts.reach = sum of author followers",
  }),
  fcr: def({
    name: "fcr", definition: "fcr.v1", family: "tickets_resolved", unit: "percent", test: "two-proportion-z",
    description: "resolved tickets with agentReplies <= 1 and reopens = 0, over resolved tickets (status solved|closed), bucketed by resolvedAt",
  }),
  "resolution-time": def({
    name: "resolution-time", definition: "resolution-time.v1", family: "tickets_resolved", unit: "seconds", test: "welch-t",
    description: "mean of resolvedAt - createdAt over resolved tickets in whole seconds (parts: median, p90 within 2%), bucketed by resolvedAt",
  }),
  "first-response-time": def({
    name: "first-response-time", definition: "first-response-time.v1", family: "first_response", unit: "seconds", test: "welch-t",
    description: "mean of firstResponseAt - createdAt in whole seconds (parts: median, p90 within 2%), bucketed by firstResponseAt",
  }),
  "handle-time": def({
    name: "handle-time", definition: "handle-time.v1", family: "tickets_resolved", unit: "seconds", test: "welch-t", nMeasure: "hn",
    description: "mean handleTimeSec of resolved tickets that give it, bucketed by resolvedAt",
  }),
  "reopen-rate": def({
    name: "reopen-rate", definition: "reopen-rate.v1", family: "tickets_resolved", unit: "percent", test: "two-proportion-z",
    description: "resolved tickets with reopens > 0 over resolved tickets, bucketed by resolvedAt",
  }),
  nps: def({
    name: "nps", definition: "nps.v1", family: "surveys", where: { surveyKind: "nps" }, unit: "nps", test: "nps-difference-z",
    description: "% promoters (9-10) minus % detractors (0-6), -100..100, bucketed by respondedAt",
  }),
  csat: def({
    name: "csat", definition: "csat.v1", family: "surveys", where: { surveyKind: "csat" }, unit: "percent", test: "two-proportion-z",
    description: "% satisfied (4-5 on 1-5, 8-10 on 1-10); parts.mean on the 1-5 scale (1-10 mapped linearly), bucketed by respondedAt",
  }),
  ces: def({
    name: "ces", definition: "ces.v1", family: "surveys", where: { surveyKind: "ces" }, unit: "score-1-7", test: "welch-t",
    description: "mean effort score on the 1-7 scale, higher = easier (1-5 mapped linearly); parts.lowEffortPct = % scoring 5-7 (4-5 on 1-5), bucketed by respondedAt",
  }),
  sentiment: def({
    name: "sentiment", definition: "sentiment.v1", family: "sentiment", unit: "percent", test: "two-proportion-z",
    description: "share negative (%) of items with a sentiment; parts: positive, neutral, negative, net = (pos - neg)/n, meanScore in [-1, 1], bucketed by item time",
  }),
};

/** Whether `s` names a metric. */
export function isMetricName(s: string): s is MetricName {
  return (METRIC_NAMES as readonly string[]).includes(s);
}

/**
 * The measures a metric's points and tests read, or null when it needs every measure of its
 * family (the quantile metrics read the sketch bins, whose names vary). Trend queries fetch only
 * these: a rollup document carries every measure of its family, most of them irrelevant to one
 * metric.
 */
export const METRIC_MEASURES: Readonly<Record<MetricName, readonly string[] | null>> = {
  volume: ["n"],
  mentions: ["n", "reach"],
  fcr: ["n", "fcr"],
  "reopen-rate": ["n", "reopened"],
  "resolution-time": null,
  "first-response-time": null,
  "handle-time": ["hn", "hsum", "hsumSq"],
  nps: ["n", "promoters", "passives", "detractors"],
  csat: ["n", "satisfied", "sum", "sumSq"],
  ces: ["n", "lowEffort", "sum", "sumSq"],
  sentiment: ["n", "pos", "neu", "neg", "sum", "sumSq"],
};
