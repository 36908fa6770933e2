/**
 * `contributionsOf(item)`: everything one stored item adds to the rollups of scope "all", per
 * product.md's metric definitions (version v1 of each), in every cut it belongs to (the full
 * dimension tuple, the total, and each single dimension; see `Cut` and the README). The lead's worker records these on the
 * item and applies `diffContributions(previous, current)` when the item changes, so the same
 * function decides both what is added and what is taken back.
 *
 * Measure names and units per family (all values integers, so sums are exact in any order):
 * - tickets_created (createdAt): `n` = 1.
 * - tickets_resolved (resolvedAt; only status solved|closed with resolvedAt): `n` = 1,
 *   `fcr` = 1 when agentReplies <= 1 and reopens == 0 (Zendesk one-touch; zero replies counts),
 *   `reopened` = 1 when reopens > 0, `sum`/`sumSq` = resolution seconds and its square,
 *   a sketch bin `q<i>`/`qz` of the resolution seconds, and, when handleTimeSec is given,
 *   `hn` = 1, `hsum`/`hsumSq` = handle seconds and its square.
 * - first_response (firstResponseAt): `n` = 1, `sum`/`sumSq` = first-response seconds, sketch bin.
 * - mentions (postedAt): `n` = 1, `reach` = author followers (0 when unknown).
 * - surveys (respondedAt): `n` = 1, `sum`/`sumSq` = fixed-point score (see survey-scores.ts) and
 *   NPS `promoters`|`passives`|`detractors`, CSAT `satisfied`, CES `lowEffort`.
 * - sentiment (ticket createdAt / mention postedAt / survey respondedAt; only when sentiment is
 *   not null): `n` = 1, `pos`|`neu`|`neg` = 1, `sum`/`sumSq` = score in 1/10_000 units
 *   (score 0.25 → 2500, its square 6_250_000).
 * Zero-valued measures are left out.
 *
 * Durations are whole seconds (rounded to the nearest), so increments stay integers; per-slot
 * sums stay exact while below 2^53 (sumSq of 1,000 one-month durations is ~7e15).
 */
import { RESOLVED_STATUSES } from "../models";
import { addToSketch } from "../stats/sketch";
import { utcDayAndHour } from "../time/utc-slots";
import {
  DIMENSIONS, FINE_CUT, FINE_DIMENSIONS, FULL_CUT, TOTAL_CUT,
  type Contribution, type Dimension, type Family, type Measures, type RollupItem, type RollupMention, type RollupSurvey, type RollupTicket,
} from "./contribution";
import {
  DEFAULT_SCALE, fixedPointScoreOf, isLowEffort, isSatisfied, npsCategoryOf,
} from "./survey-scores";

/** Fixed-point factor of sentiment scores in the `sentiment` family's `sum` (1/10_000 units). */
export const SENTIMENT_FIXED_POINT = 10_000;

type Dims = Partial<Record<Dimension, string>>;

function setDim(dims: Dims, k: Dimension, v: unknown): void {
  if (typeof v === "string" && v.length > 0) dims[k] = v;
}

function commonDims(item: RollupItem, dims: Dims): void {
  setDim(dims, "kind", item.kind);
  setDim(dims, "language", item.enrichment?.language ?? item.language);
  setDim(dims, "sentiment", item.enrichment?.sentiment?.label);
  if (item.kind !== "mention") {
    setDim(dims, "segment", item.customer?.segment);
    setDim(dims, "plan", item.customer?.plan);
    setDim(dims, "region", item.customer?.region);
  }
}

/**
 * Whole seconds between two instants, rounded to the nearest second. Throws RangeError when
 * `to` is before `from` (product.md: inconsistent timestamps are rejected at ingestion, so this
 * only fires on data that bypassed validation).
 */
export function secondsBetween(from: Date, to: Date, what: string): number {
  const ms = to.getTime() - from.getTime();
  if (!(ms >= 0)) throw new RangeError(`${what} is before createdAt`);
  return Math.round(ms / 1000);
}

/** Sum, sum of squares and one sketch bin of a duration in seconds. */
function durationMeasures(sec: number, m: Measures): Measures {
  m.sum = sec;
  m.sumSq = sec * sec;
  return addToSketch(m, sec);
}

function isResolved(t: RollupTicket): t is RollupTicket & { resolvedAt: Date } {
  return RESOLVED_STATUSES.has(t.status) && t.resolvedAt instanceof Date;
}

/** Measures of a resolved ticket in the tickets_resolved family (see the module comment). */
export function resolvedMeasuresOf(t: RollupTicket & { resolvedAt: Date }): Measures {
  const replies = t.agentReplies ?? 0;
  const reopens = t.reopens ?? 0;
  const m: Measures = { n: 1 };
  if (replies <= 1 && reopens === 0) m.fcr = 1;
  if (reopens > 0) m.reopened = 1;
  durationMeasures(secondsBetween(t.createdAt, t.resolvedAt, "resolvedAt"), m);
  if (typeof t.handleTimeSec === "number" && Number.isFinite(t.handleTimeSec) && t.handleTimeSec >= 0) {
    const h = Math.round(t.handleTimeSec);
    m.hn = 1;
    m.hsum = h;
    m.hsumSq = h * h;
  }
  return m;
}

/** Measures of a survey answer in the surveys family. */
export function surveyMeasuresOf(s: RollupSurvey): Measures {
  const scale = s.scale ?? DEFAULT_SCALE[s.surveyKind];
  const fp = fixedPointScoreOf(s.surveyKind, s.score, scale);
  const m: Measures = { n: 1, sum: fp, sumSq: fp * fp };
  switch (s.surveyKind) {
    case "nps":
      m[npsCategoryOf(s.score)] = 1;
      break;
    case "csat":
      if (isSatisfied(s.score, scale)) m.satisfied = 1;
      break;
    case "ces":
      if (isLowEffort(s.score, scale)) m.lowEffort = 1;
      break;
  }
  return m;
}

function sentimentMeasuresOf(item: RollupItem): Measures | null {
  const s = item.enrichment?.sentiment;
  if (!s) return null;
  const fp = Math.round(Math.max(-1, Math.min(1, s.score)) * SENTIMENT_FIXED_POINT);
  const m: Measures = { n: 1, sum: fp, sumSq: fp * fp };
  m[s.label === "positive" ? "pos" : s.label === "negative" ? "neg" : "neu"] = 1;
  return m;
}

function withoutZeros(m: Measures): Measures {
  for (const k of Object.keys(m)) if (m[k] === 0) delete m[k];
  return m;
}

/** The item's own time: ticket createdAt, mention postedAt, survey respondedAt. */
export function itemTimeOf(item: RollupItem): Date {
  return item.kind === "ticket" ? item.createdAt : item.kind === "mention" ? item.postedAt : item.respondedAt;
}

function ticketParts(t: RollupTicket, dims: Dims): Array<[Family, Date, Measures]> {
  setDim(dims, "channel", t.channel);
  setDim(dims, "source", t.source);
  setDim(dims, "team", t.team);
  const out: Array<[Family, Date, Measures]> = [["tickets_created", t.createdAt, { n: 1 }]];
  if (isResolved(t)) out.push(["tickets_resolved", t.resolvedAt, resolvedMeasuresOf(t)]);
  if (t.firstResponseAt instanceof Date) {
    const m = durationMeasures(secondsBetween(t.createdAt, t.firstResponseAt, "firstResponseAt"), { n: 1 });
    out.push(["first_response", t.firstResponseAt, m]);
  }
  return out;
}

function mentionParts(x: RollupMention, dims: Dims): Array<[Family, Date, Measures]> {
  setDim(dims, "platform", x.platform);
  const followers = x.author?.followers;
  const reach = typeof followers === "number" && followers > 0 ? Math.round(followers) : 0;
  return [["mentions", x.postedAt, { n: 1, reach }]];
}

function surveyParts(s: RollupSurvey, dims: Dims): Array<[Family, Date, Measures]> {
  setDim(dims, "surveyKind", s.surveyKind);
  setDim(dims, "source", s.source);
  setDim(dims, "channel", s.channel);
  setDim(dims, "team", s.team);
  setDim(dims, "touchpoint", s.touchpoint);
  return [["surveys", s.respondedAt, surveyMeasuresOf(s)]];
}

/**
 * Every contribution of one stored item to scope "all", in a stable order: per family, the
 * untagged copies first — cut "*" (all dimensions), cut "" (no dimensions), the 5-minute cut
 * "5m", then one cut per dimension the item has, in `DIMENSIONS` order — followed, per distinct tag in first-seen order,
 * by that tag's cut "*" and cut "" copies. Tickets, mentions and surveys without tags contribute
 * only the untagged copies. Per family and item that is 3 + (dimensions present) + 2 × (tags)
 * contributions, all with the same measures. Equals `withCuts(fullTupleOf(contributionsOf(item)))`.
 * Throws RangeError when a duration would be negative (see `secondsBetween`).
 */
export function contributionsOf(item: RollupItem): Contribution[] {
  const dims: Dims = {};
  commonDims(item, dims);
  const parts =
    item.kind === "ticket" ? ticketParts(item, dims) : item.kind === "mention" ? mentionParts(item, dims) : surveyParts(item, dims);
  const sentiment = sentimentMeasuresOf(item);
  if (sentiment) parts.push(["sentiment", itemTimeOf(item), sentiment]);
  const tags: Array<string | null> = [null];
  if (item.kind === "ticket" && item.tags) {
    for (const t of new Set(item.tags)) if (typeof t === "string" && t.length > 0) tags.push(t);
  }
  const full: Contribution[] = [];
  for (const [family, at, m] of parts) {
    const { day, hour } = utcDayAndHour(at);
    const fine = hour * 12 + Math.floor(at.getUTCMinutes() / 5);
    const measures = withoutZeros(m);
    for (const tag of tags) full.push({ family, day, hour, fine, cut: FULL_CUT, dims: { ...dims }, tag, m: { ...measures } });
  }
  return withCuts(full);
}

/**
 * The full-tuple (cut "*") contributions among `cs`: what the worker stores as an item's applied
 * contributions, since the other cuts follow from them (`withCuts`). About 1/(2 + dimensions) of
 * the list, so the stored record and the drain's write-ahead operation stay small.
 */
export function fullTupleOf<C extends Contribution>(cs: readonly C[]): C[] {
  return cs.filter((c) => (c.cut ?? FULL_CUT) === FULL_CUT);
}

function fineDimsOf(d: Dims): Dims {
  const out: Dims = {};
  for (const k of FINE_DIMENSIONS) if (d[k] !== undefined) out[k] = d[k];
  return out;
}

/**
 * Every cut of the full-tuple contributions in `cs`, in place of each: the contribution itself,
 * the total (cut "", dims {}) and, for the untagged copy, the 5-minute cut (when it carries its
 * `fine` slot) and one cut per dimension present (in `DIMENSIONS` order); a tagged copy gets cuts "*" and "" only. Other properties (e.g. `scope`)
 * are kept. Contributions of other cuts in `cs` are dropped, so `withCuts(contributionsOf(x))`
 * equals `contributionsOf(x)`. A contribution recorded before cuts existed (no `cut`) counts as "*".
 */
export function withCuts<C extends Contribution>(cs: readonly C[]): C[] {
  const out: C[] = [];
  for (const c of cs) {
    if ((c.cut ?? FULL_CUT) !== FULL_CUT) continue;
    const full = c.cut === FULL_CUT ? c : { ...c, cut: FULL_CUT };
    out.push(full, { ...c, cut: TOTAL_CUT, dims: {}, m: { ...c.m } });
    if (c.tag !== null) continue;
    const d = c.dims as Dims;
    if (c.fine !== undefined) out.push({ ...c, cut: FINE_CUT, hour: c.fine, dims: fineDimsOf(d), m: { ...c.m } });
    for (const k of DIMENSIONS) {
      const v = d[k];
      if (v !== undefined) out.push({ ...c, cut: k, dims: { [k]: v }, m: { ...c.m } });
    }
  }
  return out;
}
