/**
 * What one stored item adds to the rollups: the vocabulary shared by the writer (workers) and the
 * reader (trend queries). Types and constants only.
 */
import type { Customer } from "../models";

/** Rollup families: one per timestamp that a set of metrics is bucketed by. */
export const FAMILIES = [
  "tickets_created", // at createdAt: n
  "tickets_resolved", // at resolvedAt: n, fcr, reopened, sum, sumSq, hn, hsum, hsumSq, q<i>
  "first_response", // at firstResponseAt: n, sum, sumSq, q<i>
  "mentions", // at postedAt: n, reach
  "surveys", // at respondedAt: n, sum, sumSq, promoters|passives|detractors, satisfied, lowEffort
  "sentiment", // at the item's time: n, pos, neu, neg, sum, sumSq
] as const;
export type Family = (typeof FAMILIES)[number];

/** Single-valued dimensions; a dimension whose value is unknown is omitted from `dims`. */
export const DIMENSIONS = [
  "kind", "channel", "source", "platform", "team", "language", "sentiment",
  "surveyKind", "touchpoint", "segment", "plan", "region",
] as const;
export type Dimension = (typeof DIMENSIONS)[number];
/** What a query can filter or group by: the dimensions plus the multi-valued `tag`. */
export type GroupKey = Dimension | "tag";
export const GROUP_KEYS: readonly GroupKey[] = [...DIMENSIONS, "tag"];

/**
 * Which copy ("cut", a cuboid of the data cube) of the rollups a contribution or document belongs
 * to. Every item adds to each of its families:
 * - `"*"`: the full tuple, `dims` = every known dimension of the item (answers any query);
 * - `""`: the total, `dims` = {} (answers queries that neither filter nor group by a dimension);
 * - a dimension name, e.g. `"channel"`: `dims` = that dimension only, one copy per dimension the
 *   item has (answers queries that filter and/or group by that one dimension).
 * Tag copies (`tag` not null) exist only in cuts `"*"` and `""`.
 * `rollupSelectionOf` picks the cheapest cut that answers a query.
 */
export type Cut = "*" | "" | Dimension | typeof FINE_CUT;
/** The full-tuple cut: every dimension of the item. */
export const FULL_CUT = "*" as const;
/** The total cut: no dimensions. */
export const TOTAL_CUT = "" as const;
/**
 * The 5-minute cut, for alerts: like the total but with the item's `kind` and `surveyKind` kept
 * (what metric definitions select on), untagged only, and one slot per 5 minutes of the UTC day
 * (`h` keys 0-287) instead of per hour. Trend queries never read it.
 */
export const FINE_CUT = "5m" as const;
/** Dimensions the 5-minute cut keeps. */
export const FINE_DIMENSIONS = ["kind", "surveyKind"] as const satisfies readonly Dimension[];
/** The cuts trend queries read (every cut but the 5-minute one). */
export type TrendCut = Exclude<Cut, typeof FINE_CUT>;
/** Length of one slot of the 5-minute cut, seconds. */
export const FINE_SLOT_SEC = 300;

/** Flat numeric measures of one slot; keys are MongoDB field names (no dots, no `$`). */
export type Measures = Record<string, number>;

/**
 * One item's contribution to one rollup slot. `day`/`hour` are the UTC slot of the family's
 * timestamp; `cut` says which copy it is (see `Cut`: `dims` holds all of the item's dimensions
 * in cut "*", none in cut "", only the named one otherwise); `tag` is null for the untagged copy
 * (read by every query that neither filters nor groups by tag) or one of the item's tags.
 */
export interface Contribution {
  family: Family;
  /** UTC day, "YYYY-MM-DD" */
  day: string;
  /** UTC hour, 0-23; in the 5-minute cut, the 5-minute slot of the UTC day, 0-287 */
  hour: number;
  /**
   * The 5-minute slot of the UTC day (0-287), on full-tuple contributions: `withCuts` derives the
   * 5-minute cut from it. Absent on contributions recorded before that cut existed, which
   * therefore never added to it, so diffs against them stay exact.
   */
  fine?: number;
  cut: Cut;
  dims: Partial<Record<Dimension, string>>;
  tag: string | null;
  m: Measures;
}

export type SentimentLabel = "negative" | "neutral" | "positive";

/** The part of an item's enrichment that rollups use. */
export interface RollupEnrichment {
  language?: string | null;
  sentiment: { label: SentimentLabel; score: number } | null;
}

type Opt<T> = T | null | undefined;

/** A stored ticket as rollups read it (canonical fields, see models.ts). */
export interface RollupTicket {
  kind: "ticket";
  source: string;
  channel?: Opt<string>;
  status: string;
  tags?: Opt<readonly string[]>;
  team?: Opt<string>;
  customer?: Opt<Customer>;
  language?: Opt<string>;
  createdAt: Date;
  firstResponseAt?: Opt<Date>;
  resolvedAt?: Opt<Date>;
  agentReplies?: Opt<number>;
  reopens?: Opt<number>;
  handleTimeSec?: Opt<number>;
  enrichment?: Opt<RollupEnrichment>;
}

/** A stored mention as rollups read it. */
export interface RollupMention {
  kind: "mention";
  platform: string;
  author?: Opt<{ handle?: Opt<string>; followers?: Opt<number> }>;
  postedAt: Date;
  language?: Opt<string>;
  enrichment?: Opt<RollupEnrichment>;
}

/**
 * A stored survey response as rollups read it. models.ts calls the survey kind `kind`, which
 * collides with the item kind "survey" in the stored form, so rollups read it as `surveyKind`
 * (see the README). `scale` defaults as in models.ts (nps 10, csat 5, ces 7).
 */
export interface RollupSurvey {
  kind: "survey";
  surveyKind: "nps" | "csat" | "ces";
  source?: Opt<string>;
  score: number;
  scale?: Opt<number>;
  touchpoint?: Opt<string>;
  channel?: Opt<string>;
  team?: Opt<string>;
  customer?: Opt<Customer>;
  language?: Opt<string>;
  respondedAt: Date;
  enrichment?: Opt<RollupEnrichment>;
}

export type RollupItem = RollupTicket | RollupMention | RollupSurvey;
