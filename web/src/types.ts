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
  truncated: boolean;
}
