/**
 * The words of alert rules, free of heavy imports so the dashboard can use them: resolutions, the
 * metrics a spike rule can watch and what it counts in each.
 */
import { METRIC_NAMES, type MetricName } from "../metrics/registry";

/**
 * A series alert rules can watch beyond the trend metrics: survey follow-ups past their due time
 * at the end of each bucket (threshold rules, an hour or a day), so that overdue follow-ups reach
 * the alert channels.
 */
export const OVERDUE_FOLLOW_UPS = "overdue-follow-ups" as const;
export const ALERT_METRIC_NAMES = [...METRIC_NAMES, OVERDUE_FOLLOW_UPS] as const;
export type AlertMetric = (typeof ALERT_METRIC_NAMES)[number];

/** Rule resolutions, by name. Below an hour they read the 5-minute cut, from an hour the hourly rollups. */
export const ALERT_RESOLUTIONS = { "5m": 300, "10m": 600, "15m": 900, "30m": 1_800, "1h": 3_600, "1d": 86_400 } as const;
export type AlertResolution = keyof typeof ALERT_RESOLUTIONS;
export const ALERT_RESOLUTION_NAMES = Object.keys(ALERT_RESOLUTIONS) as AlertResolution[];

/** Metrics with a spike form (a count of something bad; see `spikeInputOf`). */
export const SPIKE_METRICS = ["volume", "mentions", "sentiment", "fcr", "reopen-rate", "nps", "csat", "ces"] as const satisfies readonly MetricName[];
export type SpikeMetric = (typeof SPIKE_METRICS)[number];
export const isSpikeMetric = (m: AlertMetric): m is SpikeMetric => (SPIKE_METRICS as readonly string[]).includes(m);

/** What a spike on each metric means, for rule listings and notifications. */
export const SPIKE_MEANING: Record<SpikeMetric, string> = {
  volume: "tickets created",
  mentions: "mentions",
  sentiment: "negative items",
  fcr: "tickets not resolved at first contact",
  "reopen-rate": "reopened tickets",
  nps: "detractors",
  csat: "unsatisfied answers",
  ces: "high-effort answers",
};

/**
 * The dashboard path of an alert's series: its day and the day before, hourly, in UTC (within its
 * saved search when it has one); null when the dashboard has no view of it.
 */
export function alertSeriesPath(a: { metric: AlertMetric; searchId: string | null; openedAt: Date }): string | null {
  if (a.metric === OVERDUE_FOLLOW_UPS) return null; // no dashboard page: GET /v1/follow-ups?state=overdue lists them
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const opened = a.openedAt.getTime();
  const q = new URLSearchParams({ metric: a.metric, period: "custom", from: day(opened - 86_400_000), to: day(opened), interval: "hour", tz: "UTC" });
  return a.searchId ? `/searches/${encodeURIComponent(a.searchId)}?${q}` : `/trends?${q}`;
}
