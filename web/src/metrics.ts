/** What the dashboard says about each metric of /v1/trends. */

export const METRICS = [
  "volume", "mentions", "fcr", "resolution-time", "first-response-time", "handle-time", "reopen-rate", "nps", "csat", "ces", "sentiment",
] as const;
export type MetricName = (typeof METRICS)[number];

/** `better`: which way is good news (drives the arrow's words, never colour alone). */
export const METRIC_INFO: Record<MetricName, { label: string; better: "up" | "down" | "neither" }> = {
  volume: { label: "Ticket volume", better: "neither" },
  mentions: { label: "Mentions", better: "neither" },
  fcr: { label: "First-contact resolution", better: "up" },
  "resolution-time": { label: "Resolution time", better: "down" },
  "first-response-time": { label: "First-response time", better: "down" },
  "handle-time": { label: "Handle time", better: "down" },
  "reopen-rate": { label: "Reopen rate", better: "down" },
  nps: { label: "NPS", better: "up" },
  csat: { label: "CSAT", better: "up" },
  ces: { label: "CES (1–7, higher is easier)", better: "up" },
  sentiment: { label: "Negative sentiment", better: "down" },
};

/** What the trends can be grouped and filtered by (the API's GROUP_KEYS). */
export const DIMENSIONS = [
  "kind", "channel", "source", "platform", "team", "language", "sentiment", "surveyKind", "touchpoint", "segment", "plan", "region", "tag",
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const INTERVALS = ["hour", "day", "week", "month"] as const;
