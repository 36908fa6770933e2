/**
 * In-memory compilation of a query: the exact semantics, used for new items in the enrichment
 * pass, by the percolator to verify candidates, and by the backfill to confirm what the MongoDB
 * filter (a superset when phrases or NEAR are involved) returns.
 *
 * - word: the item's language's normalization of the word is one of the item's `terms`
 * - prefix: some term starts with the folded prefix (terms are stems, so `cancell*` does not match
 *   "cancelled" if its stem is "cancel": use the shorter prefix)
 * - phrase: the words' stems at consecutive token positions
 * - NEAR/n: an occurrence of each side with at most n tokens between them, either order, not
 *   overlapping (`a NEAR/2 a` needs two occurrences)
 * - a word that normalizes to "" (a stop word: stored tokens never contain one) is ignored, as
 *   search engines do: alone it matches every item (so its NOT matches none); in a phrase the
 *   remaining stems must be consecutive in `tokens` ("thank you" = "thank"); a phrase with no
 *   stem left matches every item; a NEAR side with no stem left makes the NEAR its other side
 * - field: the folded facet value is one of the listed values; `kind` is the item's kind
 * - score: a numeric comparison; items without a score never match
 *
 * Normalization is done once per (query, language) and cached.
 */
import type { FacetField, QueryNode, WordNormalizer } from "./ast";
import { positionsOf, viewOf, type ItemView, type MatchableItem } from "./item-view";

export interface MatchResult {
  matched: boolean;
  /** distinct matched stems (and terms matched by a prefix), for highlighting; empty when not matched */
  hits: string[];
}
export type ItemMatcher = (item: MatchableItem) => MatchResult;

/** A query compiled for one language. */
interface Compiled {
  test(v: ItemView): boolean;
  /** add the stems of the positive clauses that match (call only when test is true) */
  collect(v: ItemView, out: Set<string>): void;
}

const NEVER: Compiled = { test: () => false, collect: () => {} };
/** A clause made only of ignored (stop) words: true for every item, contributes no hits. */
const ALWAYS: Compiled = { test: () => true, collect: () => {} };

/** The stems of `words`, stop words (normalized to "") dropped. */
function stemsOf(words: readonly string[], stem: (w: string) => string): string[] {
  return words.map(stem).filter((s) => s !== "");
}

/**
 * Consecutive `stems` in the item's tokens (stop words already dropped); [] matches every item.
 * @param checkTerms false when the caller has already checked that every stem is a term (the
 *   percolator's programs do), so only positions are read
 */
function compilePhrase(stems: readonly string[], checkTerms: boolean): Compiled {
  if (stems.length === 0) return ALWAYS;
  if (stems.length === 1) {
    const s = stems[0]!;
    return { test: (v) => v.termSet.has(s), collect: (_v, out) => void out.add(s) };
  }
  return {
    test: (v) => (!checkTerms || allTerms(v, stems)) && phraseStarts(v, stems, 1).length > 0,
    collect: (_v, out) => stems.forEach((s) => out.add(s)),
  };
}

/** A query compiled for every language it meets. */
export interface CompiledQuery {
  test(v: ItemView): boolean;
  /** the predicate for items of one language (compiled on first request, then cached) */
  forLanguage(lang: string): (v: ItemView) => boolean;
  hits(v: ItemView): string[];
}

/** True when every stem is among the item's terms (a cheap filter before positions). */
function allTerms(v: ItemView, stems: readonly string[]): boolean {
  for (let i = 0; i < stems.length; i++) if (!v.termSet.has(stems[i]!)) return false;
  return true;
}

/** Start positions where the stems occur consecutively (at most `limit` of them). */
function phraseStarts(v: ItemView, stems: readonly string[], limit = Infinity): number[] {
  const starts: number[] = [];
  const first = positionsOf(v, stems[0]!);
  for (let k = 0; k < first.length && starts.length < limit; k++) {
    const p = first[k]!;
    let i = 1;
    while (i < stems.length && v.tokens[p + i] === stems[i]) i++;
    if (i === stems.length) starts.push(p);
  }
  return starts;
}

function hasPrefix(v: ItemView, p: string): boolean {
  const terms = v.terms;
  for (let i = 0; i < terms.length; i++) if (terms[i]!.startsWith(p)) return true;
  return false;
}

/** Index of the first element of ascending `xs` that is >= `x` (xs.length if none). */
function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Whether an occurrence of `l` and one of `r` have at most `n` tokens between them, either order,
 * without overlapping. O(|l occurrences| log |r occurrences|), so a long ticket full of common
 * words cannot make one NEAR quadratic.
 */
function near(v: ItemView, l: readonly string[], r: readonly string[], n: number): boolean {
  const ls = phraseStarts(v, l);
  const rs = phraseStarts(v, r);
  for (const a of ls) {
    const aEnd = a + l.length - 1;
    // r before l: r ends at most n tokens before a, i.e. starts in [a - n - |r|, a - |r|]
    const before = rs[lowerBound(rs, a - n - r.length)];
    if (before !== undefined && before <= a - r.length) return true;
    // r after l: starts in [aEnd + 1, aEnd + 1 + n]
    const after = rs[lowerBound(rs, aEnd + 1)];
    if (after !== undefined && after <= aEnd + 1 + n) return true;
  }
  return false;
}

function compileNode(node: QueryNode, stem: (w: string) => string, checkTerms = true): Compiled {
  switch (node.type) {
    case "word":
      return compilePhrase(stemsOf([node.word], stem), checkTerms);
    case "prefix": {
      const p = node.prefix;
      return {
        test: (v) => hasPrefix(v, p),
        collect: (v, out) => v.terms.forEach((t) => t.startsWith(p) && out.add(t)),
      };
    }
    case "phrase":
      return compilePhrase(stemsOf(node.words, stem), checkTerms);
    case "near": {
      const l = stemsOf(node.left.type === "word" ? [node.left.word] : node.left.words, stem);
      const r = stemsOf(node.right.type === "word" ? [node.right.word] : node.right.words, stem);
      // a side made only of stop words is ignored: the NEAR is the other side's phrase
      if (l.length === 0 || r.length === 0) return compilePhrase(l.length === 0 ? r : l, checkTerms);
      const n = node.distance;
      return {
        test: (v) => (!checkTerms || (allTerms(v, l) && allTerms(v, r))) && near(v, l, r, n),
        collect: (_v, out) => [...l, ...r].forEach((s) => out.add(s)),
      };
    }
    case "field": {
      const values = new Set(node.values);
      const field: FacetField = node.field;
      if (field === "kind") return { test: (v) => values.has(v.kind), collect: () => {} };
      return {
        test: (v) => {
          const f = v.facets[field];
          if (f === undefined) return false;
          if (typeof f === "string") return values.has(f);
          for (let i = 0; i < f.length; i++) if (values.has(f[i]!)) return true;
          return false;
        },
        collect: () => {},
      };
    }
    case "compare": {
      const { op, value } = node;
      const cmp =
        op === "<" ? (s: number) => s < value
        : op === "<=" ? (s: number) => s <= value
        : op === ">" ? (s: number) => s > value
        : op === ">=" ? (s: number) => s >= value
        : (s: number) => s === value;
      return { test: (v) => v.score !== undefined && cmp(v.score), collect: () => {} };
    }
    case "not": {
      const c = compileNode(node.child, stem, checkTerms);
      return { test: (v) => !c.test(v), collect: () => {} };
    }
    case "and": {
      const cs = node.children.map((c) => compileNode(c, stem, checkTerms));
      return {
        test: (v) => {
          for (let i = 0; i < cs.length; i++) if (!cs[i]!.test(v)) return false;
          return true;
        },
        collect: (v, out) => cs.forEach((c) => c.collect(v, out)),
      };
    }
    case "or": {
      const cs = node.children.map((c) => compileNode(c, stem, checkTerms));
      return {
        test: (v) => {
          for (let i = 0; i < cs.length; i++) if (cs[i]!.test(v)) return true;
          return false;
        },
        collect: (v, out) => cs.forEach((c) => c.test(v) && c.collect(v, out)),
      };
    }
  }
}

/**
 * The predicate of one clause for one language (`stem` is that language's normalization): the
 * percolator's programs call it for what they do not decide themselves (positions, prefixes,
 * score comparisons), so both share one definition.
 * @param stemsChecked the caller tests the clause only when each of its stems is a term of the
 *   item, so phrases and NEAR read positions only (a single stem is still checked)
 */
export function compileTest(node: QueryNode, stem: (w: string) => string, stemsChecked = false): (v: ItemView) => boolean {
  return compileNode(node, stem, !stemsChecked).test;
}

/**
 * Compiles `ast` into a predicate over item views, compiling once per language met.
 * Lower level than {@link compileMatcher}: the percolator uses it to share one view per item.
 */
export function compileQuery(ast: QueryNode, normalize: WordNormalizer): CompiledQuery {
  const byLang = new Map<string, Compiled>();
  let lastLang: string | undefined;
  let last: Compiled = NEVER;
  const forLang = (lang: string): Compiled => {
    if (lang === lastLang) return last;
    let c = byLang.get(lang);
    if (!c) {
      const memo = new Map<string, string>();
      const stem = (w: string): string => {
        let s = memo.get(w);
        if (s === undefined) memo.set(w, (s = normalize(w, lang)));
        return s;
      };
      c = compileNode(ast, stem);
      byLang.set(lang, c);
    }
    lastLang = lang;
    last = c;
    return c;
  };
  return {
    test: (v) => forLang(v.lang).test(v),
    forLanguage: (lang) => forLang(lang).test,
    hits: (v) => {
      const c = forLang(v.lang);
      if (!c.test(v)) return [];
      const out = new Set<string>();
      c.collect(v, out);
      return [...out];
    },
  };
}

/**
 * Compiles a query into an in-memory matcher over stored items.
 * @param normalize the same word normalization the enrichment worker applies to tokens
 * @returns `(item) => { matched, hits }`; hits are the matched stems of the clauses that are not
 *   under a NOT (prefix clauses report the matching terms)
 */
export function compileMatcher(ast: QueryNode, normalize: WordNormalizer): ItemMatcher {
  const q = compileQuery(ast, normalize);
  return (item) => {
    const v = viewOf(item);
    const matched = q.test(v);
    return { matched, hits: matched ? q.hits(v) : [] };
  };
}
