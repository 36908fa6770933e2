/**
 * In-memory compilation of a query: the exact semantics, used for new items in the enrichment
 * pass, by the percolator to verify candidates, and by the backfill to confirm what the MongoDB
 * filter (a superset when phrases or NEAR are involved) returns.
 *
 * - word: the item's language's normalization of the word is one of the item's `terms` (which
 *   hold the word inside each hashtag too, so `refund` matches "#Refunds"; `#refund` is the
 *   hashtag's own term and matches only it). A lone word that normalizes to "" (a stop word) is
 *   ignored, as search engines do: it matches every item (so its NOT matches none).
 * - prefix: some term starts with the folded prefix (terms are stems, so `cancell*` does not match
 *   "cancelled" if its stem is "cancel": use the shorter prefix)
 * - phrase: the words as written (`asWritten` normalization: stop words count) at consecutive
 *   positions of the item's `words`; a word also matches at a hashtag whose word it is. A
 *   one-word phrase of a content word is that word.
 * - NEAR/n: an occurrence of each side with at most n words of the text between them, every word
 *   counted, not overlapping (`a NEAR/2 a` needs two occurrences); either order, or with
 *   `ordered` (`NEAR/nf`) the left side first
 * - field: the folded facet value is one of the listed values; `kind` is the item's kind
 * - score: a numeric comparison; items without a score never match
 *
 * Normalization is done once per (query, language) and cached.
 */
import { nearWords, type FacetField, type QueryNode, type WordNormalizer } from "./ast";
import { positionsOf, SCAN_WORDS, tagWordsOf, viewOf, type ItemView, type MatchableItem, type TagWord } from "./item-view";

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

/** A query word's two normalizations in one language (memoized by the caller). */
export interface LanguageNormalizer {
  /** its term, "" for a stop word */
  term(word: string): string;
  /** its entry in the item's words as written (a stop word's folded form) */
  asWritten(word: string): string;
  /** the word inside a #hashtag as phrases compare it (one function per normalizer: items cache by it) */
  tagWord: TagWord;
}

/** `normalize` for one language, memoized. */
export function languageNormalizer(normalize: WordNormalizer, lang: string): LanguageNormalizer {
  const terms = new Map<string, string>();
  const written = new Map<string, string>();
  const asWritten = (w: string): string => {
    let s = written.get(w);
    if (s === undefined) written.set(w, (s = normalize(w, lang, true)));
    return s;
  };
  return {
    term: (w) => {
      let s = terms.get(w);
      if (s === undefined) terms.set(w, (s = normalize(w, lang)));
      return s;
    },
    asWritten,
    tagWord: (tag) => asWritten(tag.slice(1)),
  };
}

/** A phrase (or NEAR side): its words as written and the distinct terms an item must have for it. */
interface Words {
  written: string[];
  terms: string[];
}

function wordsOf(words: readonly string[], norm: LanguageNormalizer): Words {
  return {
    written: words.map(norm.asWritten).filter((w) => w !== ""),
    terms: [...new Set(words.map(norm.term).filter((t) => t !== ""))],
  };
}

const termTest = (t: string): Compiled => ({ test: (v) => v.termSet.has(t), collect: (_v, out) => void out.add(t) });

/**
 * A phrase: its words consecutive in the item's words as written; a word with no form at all is
 * left out, and no word left matches every item.
 * @param checkTerms false when the caller has already checked that every term is the item's (the
 *   percolator's programs do), so only positions are read
 */
function compilePhrase(words: readonly string[], norm: LanguageNormalizer, checkTerms: boolean): Compiled {
  // one content word: its term (which also stands for the hashtags with that word)
  if (words.length === 1 && norm.term(words[0]!) !== "") return termTest(norm.term(words[0]!));
  const { written, terms } = wordsOf(words, norm);
  if (written.length === 0) return ALWAYS;
  const tagWord = norm.tagWord;
  return {
    test: (v) => (!checkTerms || allTerms(v, terms)) && hasPhrase(v, written, tagWord),
    collect: (_v, out) => terms.forEach((s) => out.add(s)),
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

/** Start positions where `words` occur consecutively in the item's words (at most `limit` of them). */
function phraseStarts(v: ItemView, words: readonly string[], tagWord: TagWord, limit = Infinity): number[] {
  const starts: number[] = [];
  const ws = v.words;
  // a word is at position j when it is written there or is the word of the hashtag there
  const tags = tagWordsOf(v, tagWord);
  const n = words.length;
  const first = positionsOf(v, words[0]!, tagWord);
  for (let k = 0; k < first.length && starts.length < limit; k++) {
    const p = first[k]!;
    let i = 1;
    if (tags === null) while (i < n && ws[p + i] === words[i]) i++;
    else while (i < n && (ws[p + i] === words[i] || tags[p + i] === words[i])) i++;
    if (i === n) starts.push(p);
  }
  return starts;
}

/** Whether `words` occur consecutively in the item's words (phraseStarts with limit 1, without allocating on short items). */
function hasPhrase(v: ItemView, words: readonly string[], tagWord: TagWord): boolean {
  const ws = v.words;
  if (v.positions || ws.length > SCAN_WORDS) return phraseStarts(v, words, tagWord, 1).length > 0;
  const tags = tagWordsOf(v, tagWord);
  const n = words.length;
  for (let p = 0; p + n <= ws.length; p++) {
    let i = 0;
    if (tags === null) while (i < n && ws[p + i] === words[i]) i++;
    else while (i < n && (ws[p + i] === words[i] || tags[p + i] === words[i])) i++;
    if (i === n) return true;
  }
  return false;
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
 * Whether an occurrence of `l` and one of `r` have at most `n` words between them, without
 * overlapping, in either order or (`ordered`) with `l` first. O(|l occurrences| log |r
 * occurrences|), so a long ticket full of common words cannot make one NEAR quadratic.
 */
function near(v: ItemView, l: readonly string[], r: readonly string[], n: number, ordered: boolean, tagWord: TagWord): boolean {
  const ls = phraseStarts(v, l, tagWord);
  const rs = phraseStarts(v, r, tagWord);
  for (const a of ls) {
    const aEnd = a + l.length - 1;
    // r before l: r ends at most n words before a, i.e. starts in [a - n - |r|, a - |r|]
    const before = ordered ? undefined : rs[lowerBound(rs, a - n - r.length)];
    if (before !== undefined && before <= a - r.length) return true;
    // r after l: starts in [aEnd + 1, aEnd + 1 + n]
    const after = rs[lowerBound(rs, aEnd + 1)];
    if (after !== undefined && after <= aEnd + 1 + n) return true;
  }
  return false;
}

function compileNode(node: QueryNode, norm: LanguageNormalizer, checkTerms = true): Compiled {
  switch (node.type) {
    case "word": {
      // a lone stop word is ignored: it matches every item
      const t = norm.term(node.word);
      return t === "" ? ALWAYS : termTest(t);
    }
    case "prefix": {
      const p = node.prefix;
      return {
        test: (v) => hasPrefix(v, p),
        collect: (v, out) => v.terms.forEach((t) => t.startsWith(p) && out.add(t)),
      };
    }
    case "phrase":
      return compilePhrase(node.words, norm, checkTerms);
    case "near": {
      const lw = nearWords(node.left);
      const rw = nearWords(node.right);
      const l = wordsOf(lw, norm);
      const r = wordsOf(rw, norm);
      // a side with no word left (no form at all) is ignored: the NEAR is the other side's phrase
      if (l.written.length === 0 || r.written.length === 0) return compilePhrase(l.written.length === 0 ? rw : lw, norm, checkTerms);
      const terms = [...new Set([...l.terms, ...r.terms])];
      const { distance: n } = node;
      const ordered = node.ordered === true;
      const tagWord = norm.tagWord;
      return {
        test: (v) => (!checkTerms || allTerms(v, terms)) && near(v, l.written, r.written, n, ordered, tagWord),
        collect: (_v, out) => terms.forEach((s) => out.add(s)),
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
      const c = compileNode(node.child, norm, checkTerms);
      return { test: (v) => !c.test(v), collect: () => {} };
    }
    case "and": {
      const cs = node.children.map((c) => compileNode(c, norm, checkTerms));
      return {
        test: (v) => {
          for (let i = 0; i < cs.length; i++) if (!cs[i]!.test(v)) return false;
          return true;
        },
        collect: (v, out) => cs.forEach((c) => c.collect(v, out)),
      };
    }
    case "or": {
      const cs = node.children.map((c) => compileNode(c, norm, checkTerms));
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
 * The predicate of one clause for one language (`norm` is that language's normalization): the
 * percolator's programs call it for what they do not decide themselves (positions, prefixes,
 * score comparisons), so both share one definition.
 * @param termsChecked the caller tests the clause only when each of its terms is a term of the
 *   item, so phrases and NEAR read positions only (a single term is still checked)
 */
export function compileTest(node: QueryNode, norm: LanguageNormalizer, termsChecked = false): (v: ItemView) => boolean {
  return compileNode(node, norm, !termsChecked).test;
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
      c = compileNode(ast, languageNormalizer(normalize, lang));
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
