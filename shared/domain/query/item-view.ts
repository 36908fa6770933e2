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
    /** normalized tokens in text order */
    tokens: readonly string[];
    /** distinct tokens */
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
  readonly tokens: readonly string[];
  readonly facets: Partial<Facets>;
  readonly score: number | undefined;
  /** token positions per stem, built on first use by a phrase or NEAR */
  positions: Map<string, number[]> | undefined;
}

const cache = new WeakMap<object, ItemView>();

/** The view; the term set is built on first use (the percolator's programs rarely need it). */
class View implements ItemView {
  readonly lang: string;
  readonly kind: string;
  readonly terms: readonly string[];
  readonly tokens: readonly string[];
  readonly facets: Partial<Facets>;
  readonly score: number | undefined;
  positions: Map<string, number[]> | undefined = undefined;
  private cachedTermSet: Set<string> | undefined = undefined;

  constructor(item: MatchableItem) {
    const e = item.enrichment;
    this.lang = e.language;
    this.kind = item.kind;
    this.terms = e.terms;
    this.tokens = e.tokens;
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

/** Up to this many tokens, positions are found by a scan instead of building the position map. */
const SCAN_TOKENS = 48;

/** Positions of `stem` in the item's tokens (ascending). */
export function positionsOf(v: ItemView, stem: string): readonly number[] {
  const tokens = v.tokens;
  if (!v.positions && tokens.length <= SCAN_TOKENS) {
    // a tweet or short ticket: scanning is cheaper than a map most items never reuse
    const found: number[] = [];
    for (let i = 0; i < tokens.length; i++) if (tokens[i] === stem) found.push(i);
    return found;
  }
  if (!v.positions) {
    const m = new Map<string, number[]>();
    tokens.forEach((t, i) => {
      const list = m.get(t);
      if (list) list.push(i);
      else m.set(t, [i]);
    });
    v.positions = m;
  }
  return v.positions.get(stem) ?? [];
}

/** The item's values for a facet field (`kind` comes from the item itself). */
export function facetValues(v: ItemView, field: FacetField): readonly string[] {
  if (field === "kind") return [v.kind];
  const f = v.facets[field];
  if (f === undefined) return [];
  return typeof f === "string" ? [f] : f;
}
