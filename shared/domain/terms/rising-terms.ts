/**
 * Rising terms: terms and phrases whose share of documents grows from a background period to the
 * current one, scored like Elasticsearch's significant_terms JLH heuristic, after near-duplicate
 * documents are collapsed. Pure and deterministic.
 */
import { twoProportionTest } from "../stats";
import { isCandidateTerm, type TermDoc } from "./term-doc";

export interface RisingTermsOptions {
  /** most terms returned, best first; default 20; a non-negative integer or Infinity */
  limit?: number;
  /** least (collapsed) current-period documents a term needs; default 3 */
  minCount?: number;
  /** also score the 2-3 word phrases of `TermDoc.phrases`; default true */
  includePhrases?: boolean;
}

export const RISING_TERMS_DEFAULTS = { limit: 20, minCount: 3, includePhrases: true } as const;

/** A term's documents in one period, near duplicates counted once. */
export interface PeriodCount {
  /** collapsed documents containing the term */
  count: number;
  /** collapsed documents in the period */
  docs: number;
  /** count / docs, unsmoothed, in [0, 1] */
  share: number;
}

export interface RisingTerm {
  /** a stem, or space-joined stems for a phrase */
  term: string;
  /** readable form: the one most current documents gave it (ties: smallest), else the stem */
  surface: string;
  current: PeriodCount;
  background: PeriodCount;
  /** JLH with an add-one background, see {@link jlhScore}; always > 0 here */
  score: number;
  /** two-sided two-proportion z-test of current vs background share, in [0, 1] */
  pValue: number;
  /** pValue < 0.05 */
  significant: boolean;
}

/**
 * The background share used for scoring: Laplace's add-one estimate (b + 1) / (M + 2) of b
 * documents out of M. Why: JLH divides by the background share, and a term absent from the
 * background (b = 0) would score Infinity; Elasticsearch instead pretends b = 1, which makes 0
 * and 1 background documents tie. Add-one is finite, strictly increasing in b, and within
 * 1/(M + 2) of b / M, so it only matters for rare background terms. Needs M >= 0.
 */
export function smoothedBackgroundShare(bgCount: number, bgDocs: number): number {
  return (bgCount + 1) / (bgDocs + 2);
}

/**
 * JLH score of a term found in `fgCount` of `fgDocs` current documents and `bgCount` of `bgDocs`
 * background ones: (fg − bg) × (fg / bg) with fg = fgCount / fgDocs and bg the
 * {@link smoothedBackgroundShare}. It rewards both the absolute and the relative rise, so a
 * common word that grows a little and a rare word that appears once both lose to a term that
 * grows a lot. Returns 0 (not rising) unless fg exceeds both the raw and the smoothed background
 * share, and 0 when either period is empty. Elasticsearch: `JLHScore.getScore`.
 */
export function jlhScore(fgCount: number, fgDocs: number, bgCount: number, bgDocs: number): number {
  if (fgDocs <= 0 || bgDocs <= 0) return 0;
  const fg = fgCount / fgDocs;
  const bg = smoothedBackgroundShare(bgCount, bgDocs);
  if (fg <= bg || fg <= bgCount / bgDocs) return 0;
  return (fg - bg) * (fg / bg);
}

interface Period {
  docs: number;
  counts: Map<string, number>;
}

/**
 * Collapses a period's documents by `dupKey` (a group holds the union of its members' terms, so
 * a term counts at most once per group) and counts groups per term. `keep`, when given, limits
 * the terms counted (the background only needs the current period's candidates).
 *
 * Implementation: documents are visited group by group (indices sorted by group, stable), and a
 * term is counted when the group differs from the last one that counted it — one map lookup per
 * term occurrence and no set per group.
 */
function countPeriod(docs: readonly TermDoc[], includePhrases: boolean, keep?: ReadonlySet<string>): Period {
  const groupOf = new Map<string, number>();
  const group = new Int32Array(docs.length);
  for (let i = 0; i < docs.length; i++) {
    const key = docs[i]!.dupKey;
    let g = groupOf.get(key);
    if (g === undefined) groupOf.set(key, (g = groupOf.size));
    group[i] = g;
  }
  const order = Array.from({ length: docs.length }, (_, i) => i);
  if (groupOf.size < docs.length) order.sort((a, b) => group[a]! - group[b]! || a - b);
  const counts = new Map<string, number>();
  const lastGroup = new Map<string, number>();
  const add = (t: string, g: number): void => {
    if (lastGroup.get(t) === g) return;
    lastGroup.set(t, g);
    counts.set(t, (counts.get(t) ?? 0) + 1);
  };
  for (const i of order) {
    const d = docs[i]!;
    const g = group[i]!;
    for (const t of d.terms) if (keep ? keep.has(t) : isCandidateTerm(t)) add(t, g);
    if (includePhrases && d.phrases) {
      for (const p of d.phrases) if (keep ? keep.has(p.term) : p.term.length > 0) add(p.term, g);
    }
  }
  return { docs: groupOf.size, counts };
}

function checkOptions(limit: number, minCount: number): void {
  if (!(limit === Infinity || (Number.isInteger(limit) && limit >= 0))) {
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  }
  if (!(Number.isFinite(minCount) && minCount >= 0)) {
    throw new RangeError(`minCount must be a finite number >= 0, got ${minCount}`);
  }
}

/**
 * Terms and phrases rising from `background` to `current`, best first.
 *
 * 1. Each period is collapsed by `dupKey`: `docs` is the number of distinct keys, and a term's
 *    `count` the number of keys whose documents contain it. A hundred retweets count as one.
 * 2. Candidates are the current period's single terms that pass `isCandidateTerm` (no URLs,
 *    numbers, emoji, `rt`) and, with `includePhrases`, its phrases, found in at least `minCount`
 *    collapsed documents.
 * 3. Each is scored with {@link jlhScore}; only rising terms (score > 0) are kept.
 * 4. `pValue` is the two-sided pooled two-proportion z-test of count/docs in both periods
 *    (`../stats` `twoProportionTest`); `significant` is p < 0.05. No correction for testing
 *    many terms at once, and the normal approximation is rough for counts under ~5.
 * 5. Sorted by score descending, then term by code unit; the first `limit` are returned.
 *
 * Edge cases: an empty current or background period (no documents at all) gives [] — there is
 * nothing to rise against, list top terms instead; a term absent from the background scores
 * finitely (add-one smoothing); `limit` 0 gives []. The result does not depend on the order of
 * the documents. Throws RangeError for a negative or fractional `limit` or a negative/NaN
 * `minCount`.
 */
export function risingTermsOf(
  current: readonly TermDoc[],
  background: readonly TermDoc[],
  opts: RisingTermsOptions = {},
): RisingTerm[] {
  const limit = opts.limit ?? RISING_TERMS_DEFAULTS.limit;
  const minCount = opts.minCount ?? RISING_TERMS_DEFAULTS.minCount;
  const includePhrases = opts.includePhrases ?? RISING_TERMS_DEFAULTS.includePhrases;
  checkOptions(limit, minCount);
  if (limit === 0 || current.length === 0 || background.length === 0) return [];

  const fg = countPeriod(current, includePhrases);
  const candidates = new Set<string>();
  for (const [t, c] of fg.counts) if (c >= minCount) candidates.add(t);
  if (candidates.size === 0) return [];
  const bg = countPeriod(background, includePhrases, candidates);

  const scored: Array<Omit<RisingTerm, "surface">> = [];
  for (const term of candidates) {
    const count = fg.counts.get(term)!;
    const bgCount = bg.counts.get(term) ?? 0;
    const score = jlhScore(count, fg.docs, bgCount, bg.docs);
    if (!(score > 0)) continue;
    const test = twoProportionTest(count, fg.docs, bgCount, bg.docs);
    const pValue = test.pValue ?? 1; // never null: both periods have documents
    scored.push({
      term,
      current: { count, docs: fg.docs, share: count / fg.docs },
      background: { count: bgCount, docs: bg.docs, share: bgCount / bg.docs },
      score,
      pValue,
      significant: test.significant,
    });
  }
  scored.sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  const top = scored.slice(0, Math.min(limit, scored.length));
  const surfaces = surfacesOf(
    top.map((t) => t.term),
    current,
    background,
  );
  return top.map((t) => ({
    term: t.term,
    surface: surfaces.get(t.term) ?? t.term,
    current: t.current,
    background: t.background,
    score: t.score,
    pValue: t.pValue,
    significant: t.significant,
  }));
}

/**
 * Readable forms for `terms`: per term the surface most current documents give it (ties: the
 * smallest string), else the same over the background. Terms with no surface are left out.
 */
function surfacesOf(terms: readonly string[], current: readonly TermDoc[], background: readonly TermDoc[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const docs of [current, background]) {
    const wanted = new Set(terms.filter((t) => !out.has(t)));
    if (wanted.size === 0) break;
    const votes = new Map<string, Map<string, number>>();
    const vote = (term: string, surface: string): void => {
      let v = votes.get(term);
      if (!v) votes.set(term, (v = new Map()));
      v.set(surface, (v.get(surface) ?? 0) + 1);
    };
    for (const d of docs) {
      if (d.surfaces) for (const t of wanted) if (Object.hasOwn(d.surfaces, t)) vote(t, d.surfaces[t]!);
      if (d.phrases) for (const p of d.phrases) if (wanted.has(p.term)) vote(p.term, p.surface);
    }
    for (const [term, v] of votes) {
      let best: string | undefined;
      let bestN = 0;
      for (const [s, n] of v) if (n > bestN || (n === bestN && best !== undefined && s < best)) [best, bestN] = [s, n];
      if (best !== undefined) out.set(term, best);
    }
  }
  return out;
}
