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

/** A new view of `item` (the percolator builds one per item and shares it between searches). */
export function makeView(item: MatchableItem): ItemView {
  const e = item.enrichment;
  return {
    lang: e.language,
    kind: item.kind,
    terms: e.terms,
    termSet: new Set(e.terms),
    tokens: e.tokens,
    facets: item.facets,
    score: typeof item.score === "number" ? item.score : undefined,
    positions: undefined,
  };
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

/** Positions of `stem` in the item's tokens (ascending). */
export function positionsOf(v: ItemView, stem: string): readonly number[] {
  if (!v.positions) {
    const m = new Map<string, number[]>();
    v.tokens.forEach((t, i) => {
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
