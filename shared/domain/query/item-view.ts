/**
 * The read-only view of a stored item that matching needs, built once per item and shared by
 * every saved search that checks it (cached in a WeakMap keyed by the item object).
 */
import type { FacetField } from "./ast";
import type { Facets } from "./facets";

/** The stored fields matching reads (a stored item has more; they are ignored). */
export interface MatchableItem {
  kind: string;
  enrichment: {
    language: string;
    /** normalized content tokens in text order (read only when `words` is absent) */
    tokens: readonly string[];
    /**
     * every word as written, one per position (stop words included): what phrases and NEAR
     * count. Absent on an item enriched before it was stored and not yet migrated: `tokens` then.
     */
    words?: readonly string[];
    /** distinct tokens and the terms of words inside hashtags */
    terms: readonly string[];
  };
  facets: Partial<Facets>;
  score?: number | null;
}

export interface ItemView {
  readonly lang: string;
  readonly kind: string;
  readonly terms: readonly string[];
  readonly termSet: ReadonlySet<string>;
  /** the words as written (`enrichment.words`, else `tokens`) */
  readonly words: readonly string[];
  readonly facets: Partial<Facets>;
  readonly score: number | undefined;
  /** positions in `words` per word, built on first use by a phrase or NEAR */
  positions: Map<string, number[]> | undefined;
  /**
   * per position, the word inside the #hashtag there as `tagWordsBy` gives it (undefined at
   * other positions); null when the item has no hashtag; built on first use by a phrase or NEAR
   */
  tagWords: (string | undefined)[] | null | undefined;
  tagWordsBy: TagWord | undefined;
}

const cache = new WeakMap<object, ItemView>();

/** The view; the term set is built on first use (the percolator's programs rarely need it). */
class View implements ItemView {
  readonly lang: string;
  readonly kind: string;
  readonly terms: readonly string[];
  readonly words: readonly string[];
  readonly facets: Partial<Facets>;
  readonly score: number | undefined;
  positions: Map<string, number[]> | undefined = undefined;
  tagWords: (string | undefined)[] | null | undefined = undefined;
  tagWordsBy: TagWord | undefined = undefined;
  private cachedTermSet: Set<string> | undefined = undefined;

  constructor(item: MatchableItem) {
    const e = item.enrichment;
    this.lang = e.language;
    this.kind = item.kind;
    this.terms = e.terms;
    this.words = e.words ?? e.tokens;
    this.facets = item.facets;
    this.score = typeof item.score === "number" ? item.score : undefined;
  }

  get termSet(): ReadonlySet<string> {
    return (this.cachedTermSet ??= new Set(this.terms));
  }
}

/** A new view of `item` (the percolator builds one per item and shares it between searches). */
export function makeView(item: MatchableItem): ItemView {
  return new View(item);
}

/**
 * The view of `item`, cached per item object so several matchers checking the same item build it
 * once. Treats the item as immutable once viewed.
 */
export function viewOf(item: MatchableItem): ItemView {
  let v = cache.get(item);
  if (!v) cache.set(item, (v = makeView(item)));
  return v;
}

/** Up to this many words, positions are found by a scan instead of building the position map. */
export const SCAN_WORDS = 48;
const HASH = 35; // "#"

/**
 * The word inside a hashtag as a phrase compares it (the query's `asWritten` normalization of
 * `tag` without its "#", in the item's language).
 */
export type TagWord = (tag: string) => string;

const isTag = (w: string) => w.length > 1 && w.charCodeAt(0) === HASH;

/** The words inside the item's hashtags by position (null without any), cached per `tagWord`. */
export function tagWordsOf(v: ItemView, tagWord: TagWord): (string | undefined)[] | null {
  const known = v.tagWords;
  if (known === null || (known !== undefined && v.tagWordsBy === tagWord)) return known;
  const words = v.words;
  let out: (string | undefined)[] | null = null;
  for (let i = 0; i < words.length; i++) {
    if (!isTag(words[i]!)) continue;
    out ??= new Array<string | undefined>(words.length).fill(undefined);
    out[i] = tagWord(words[i]!);
  }
  v.tagWords = out;
  v.tagWordsBy = tagWord;
  return out;
}

/**
 * Positions of `word` in the item's words (ascending): where it is written, or where a #hashtag
 * has it as its word (so "refund" is at the place of "#Refunds"; "#refund" only at its own hashtag).
 */
export function positionsOf(v: ItemView, word: string, tagWord: TagWord): readonly number[] {
  const words = v.words;
  const tags = tagWordsOf(v, tagWord);
  if (tags !== null) {
    // an item with hashtags is scanned (a tag's word depends on the query's normalization)
    const found: number[] = [];
    for (let i = 0; i < words.length; i++) if (words[i] === word || tags[i] === word) found.push(i);
    return found;
  }
  if (!v.positions && words.length <= SCAN_WORDS) {
    // a tweet or short ticket: scanning is cheaper than a map most items never reuse
    const found: number[] = [];
    for (let i = 0; i < words.length; i++) if (words[i] === word) found.push(i);
    return found;
  }
  if (!v.positions) {
    const m = new Map<string, number[]>();
    words.forEach((t, i) => {
      const list = m.get(t);
      if (list) list.push(i);
      else m.set(t, [i]);
    });
    v.positions = m;
  }
  return v.positions.get(word) ?? [];
}

/** The item's values for a facet field (`kind` comes from the item itself). */
export function facetValues(v: ItemView, field: FacetField): readonly string[] {
  if (field === "kind") return [v.kind];
  const f = v.facets[field];
  if (f === undefined) return [];
  return typeof f === "string" ? [f] : f;
}
