/** The API's answers the dashboard reads (see the OpenAPI document at /docs). */

export interface Point {
  value: number | null;
  n: number;
  parts: Record<string, number | null>;
}
export interface Change {
  previous: number | null;
  delta: number | null;
  test: string;
  pValue: number | null;
  significant: boolean;
}
export interface TrendGroup {
  key: Record<string, string | null>;
  points: (Point & { start: string })[];
  total: Point;
  change: Change;
}
export interface Trend {
  metric: string;
  definition: string;
  unit: string;
  interval: string;
  tz: string;
  from: string;
  to: string;
  previous: { from: string; to: string };
  groupBy: string[];
  groups: TrendGroup[];
  truncated?: { groups: number; kept: number; hint: string };
}
export type Figure = Point & { definition: string; change: Change };
export interface Summary {
  from: string;
  to: string;
  tz: string;
  previous: { from: string; to: string };
  volume: Figure & { byChannel: (Figure & { channel: string | null })[] };
  mentions: Figure;
  fcr: Figure;
  reopenRate: Figure;
  resolutionTime: Figure;
  firstResponseTime: Figure;
  sentiment: Figure;
  nps: Figure;
  csat: Figure;
  ces: Figure;
}
export interface Item {
  id: string;
  kind: string;
  at: string;
  source: string;
  externalId: string;
  channel?: string;
  text: string;
  sentiment: string | null;
  matchedTerms: string[];
  highlights: { start: number; end: number; term: string }[];
}
export interface ItemsPage {
  items: Item[];
  nextCursor: string | null;
}
export interface RisingTerm {
  term: string;
  surface: string;
  current: { count: number; docs: number; share: number };
  background: { count: number; docs: number; share: number };
  score: number;
  pValue: number;
  significant: boolean;
}
export interface Terms {
  terms: RisingTerm[];
  documents: { current: number; background: number };
  /** items in each period (null: not counted); above `documents` when a sample was read */
  population: { current: number | null; background: number | null };
  truncated: boolean;
}
export interface FollowUp {
  id: string;
  externalId: string;
  source: string;
  surveyKind: string;
  score: number;
  customerId: string | null;
  respondedAt: string;
  category: string;
  dueAt: string;
  overdue: boolean;
  doneAt: string | null;
  onTime: boolean | null;
  by: string | null;
  note: string | null;
  via: "api" | "ticket-reply" | null;
  ticketId: string | null;
}
export interface FollowUpsPage {
  items: FollowUp[];
  nextCursor: string | null;
}
export interface ChurnDriverRow {
  measure: string;
  label: string;
  unit: string;
  observations: "customers" | "tickets" | "items";
  churned: { value: number | null; n: number };
  retained: { value: number | null; n: number };
  difference: number | null;
  test: { test: string; statistic: number | null; pValue: number | null; significant: boolean };
  effect: { name: "cohen-h" | "cohen-d"; value: number | null };
}
export interface ChurnDrivers {
  from: string;
  to: string;
  windowDays: number;
  churned: number;
  retained: number;
  rows: ChurnDriverRow[];
}

/** GET /v1/workspace (the parts the dashboard reads) */
export interface WorkspaceInfo {
  workspace: string;
  dataSpan: { first: string | null; last: string | null };
  /** accepted items not in the trends yet, per stage (an updated item can be in both) */
  processing: { enriching: number; counting: number };
  /** items stored but left out of the trends: the rollup drain could not count them */
  quarantined: { count: number; items: { id: string; reason: string; at: string }[] };
}
