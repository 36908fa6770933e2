/**
 * The percolator: which saved searches match this new item? Each search is indexed under an
 * anchor, a set of keys at least one of which every matching item must have:
 *
 * - a word's stem (`t:` + stem), in the language of the item (so anchors are chosen per language)
 * - the first 5 characters of a prefix of 5+ (`P:`), else its first 3 (`p:`), looked up with the
 *   first 5 and first 3 characters of each term
 * - a facet value (`f:` + field + value), e.g. `kind:ticket`
 *
 * The anchor of AND is its cheapest child's, of OR the union of its children's (none if one child
 * has none); NOT and `score:` have none. "Cheapest" means the lowest estimated share of items that
 * carry the key: words are preferred (longer stems assumed rarer, or real document frequencies
 * from `options.termFrequency`), then tag/team/segment/plan/region values, then prefixes, then the
 * low-cardinality facets. A search without an anchor (`NOT refund`, `score:<7`) goes into an
 * always-check list. Stop words (words that normalize to "") are ignored like the matcher
 * ignores them: a word or phrase made only of stop words has no anchor (it matches every item), so
 * its search is anchored by another required clause or goes into the always-check list.
 *
 * `match` collects the candidates from the item's terms and facets and verifies each with the
 * compiled matcher, so results equal evaluating every search. `add` and `remove` touch only the
 * keys of that search: no rebuild. The first item of a language not yet seen indexes every search
 * for that language once (pass `languages` to do it up front).
 */
import { FACET_FIELDS, type FacetField, type QueryNode, type WordNormalizer } from "./ast";
import { facetValues, makeView, type ItemView, type MatchableItem } from "./item-view";
import { compileQuery, type CompiledQuery } from "./matcher";

export interface PercolatorOptions {
  /**
   * Estimated share (0..1) of items in `language` whose terms include `stem`, used to pick the
   * rarest required word as anchor. Default: 0.02 for stems of up to 3 characters, 0.01 up to 5,
   * 0.005 beyond.
   */
  termFrequency?: (stem: string, language: string) => number;
  /** languages to index for up front (others are indexed when their first item arrives) */
  languages?: readonly string[];
}

export interface Percolator<M = unknown> {
  /** Adds a search, or replaces the search with the same id. */
  add(id: string, ast: QueryNode, meta?: M): void;
  /** Removes a search; false when there was none with that id. */
  remove(id: string): boolean;
  /** Ids of the searches that match `item` (no particular order). */
  match(item: MatchableItem): string[];
  /** Ids of the matching searches by evaluating every search (for tests and the benchmark). */
  matchBruteForce(item: MatchableItem): string[];
  has(id: string): boolean;
  /** how many searches the last `match` verified (selectivity of the index, for benchmarks) */
  readonly lastCandidateCount: number;
  meta(id: string): M | undefined;
  readonly size: number;
}

interface Anchor {
  keys: string[];
  cost: number;
}

interface Search<M> {
  id: string;
  ast: QueryNode;
  query: CompiledQuery;
  meta: M | undefined;
  /** per language: the entry and the keys it is indexed under (null: in the always-check list) */
  anchors: Map<string, { entry: Entry<M>; keys: string[] | null }>;
  /** the last match() call that saw this search as a candidate */
  stamp: number;
}

/** A search as indexed for one language: its predicate already compiled for that language. */
interface Entry<M> {
  search: Search<M>;
  test: (v: ItemView) => boolean;
}

/** Entries under one key; an array (faster to scan than a Set), removal is swap-and-pop. */
type Postings<M> = Entry<M>[];

interface LanguageIndex<M> {
  terms: Map<string, Postings<M>>;
  /** prefixes of 3-4 characters, keyed by their first 3 UTF-16 units packed into one number */
  prefixes: Map<number, Postings<M>>;
  /** prefixes of 5+ characters, keyed by their first 5 (a 3-character key would be too broad) */
  longPrefixes: Map<string, Postings<M>>;
  facets: Map<string, Postings<M>>;
  /** how many facet keys per field are indexed, to skip fields nobody filters on */
  facetFields: Map<FacetField, number>;
  always: Postings<M>;
}

const PREFIX_KEY_LENGTH = 3;
const LONG_PREFIX_KEY_LENGTH = 5;
const PREFIX_COST = 0.05;
const COMMON_FACETS: ReadonlySet<FacetField> = new Set(["kind", "lang", "sentiment", "channel", "source", "platform"]);

/** The first 3 UTF-16 units of `s` (length >= 3) as one exact number. */
function prefixKey(s: string): number {
  return s.charCodeAt(0) * 4294967296 + s.charCodeAt(1) * 65536 + s.charCodeAt(2);
}

const defaultFrequency = (stem: string): number => (stem.length <= 3 ? 0.02 : stem.length <= 5 ? 0.01 : 0.005);

function cheapest(anchors: (Anchor | null)[]): Anchor | null {
  let best: Anchor | null = null;
  for (const a of anchors) if (a && (!best || a.cost < best.cost)) best = a;
  return best;
}

/**
 * Makes an empty percolator.
 * @param normalize the same normalizer the matcher uses (memoized here per language and word)
 */
export function makePercolator<M = unknown>(normalize: WordNormalizer, options: PercolatorOptions = {}): Percolator<M> {
  const memo = new Map<string, Map<string, string>>();
  const norm: WordNormalizer = (w, lang) => {
    let m = memo.get(lang);
    if (!m) memo.set(lang, (m = new Map()));
    let s = m.get(w);
    if (s === undefined) m.set(w, (s = normalize(w, lang)));
    return s;
  };
  const frequency = options.termFrequency ?? defaultFrequency;
  const searches = new Map<string, Search<M>>();
  const indexes = new Map<string, LanguageIndex<M>>();
  let stamp = 0;
  let candidates = 0;

  function anchorOf(node: QueryNode, lang: string): Anchor | null {
    // the rarest stem; none when every word is a stop word (the clause then matches every item)
    const words = (ws: readonly string[]): Anchor | null =>
      cheapest(ws.map((w) => norm(w, lang)).filter((s) => s !== "").map((s) => ({ keys: [`t:${s}`], cost: frequency(s, lang) })));
    switch (node.type) {
      case "word":
        return words([node.word]);
      case "phrase":
        return words(node.words);
      case "near":
        return cheapest([anchorOf(node.left, lang), anchorOf(node.right, lang)]);
      case "prefix":
        // the parser guarantees 3+ characters; a hand-built shorter prefix is checked always
        if (node.prefix.length < PREFIX_KEY_LENGTH) return null;
        return node.prefix.length >= LONG_PREFIX_KEY_LENGTH
          ? { keys: [`P:${node.prefix.slice(0, LONG_PREFIX_KEY_LENGTH)}`], cost: PREFIX_COST / 5 }
          : { keys: [`p:${node.prefix.slice(0, PREFIX_KEY_LENGTH)}`], cost: PREFIX_COST };
      case "field": {
        const each = COMMON_FACETS.has(node.field) ? 0.5 : 0.1;
        const values = [...new Set(node.values)];
        return { keys: values.map((v) => `f:${node.field}:${v}`), cost: each * values.length };
      }
      case "compare":
      case "not":
        return null;
      case "and":
        return cheapest(node.children.map((c) => anchorOf(c, lang)));
      case "or": {
        const keys = new Set<string>();
        let cost = 0;
        for (const c of node.children) {
          const a = anchorOf(c, lang);
          if (!a) return null;
          a.keys.forEach((k) => keys.add(k));
          cost += a.cost;
        }
        return { keys: [...keys], cost };
      }
    }
  }

  function postingsFor(idx: LanguageIndex<M>, key: string, create: boolean): Postings<M> | undefined {
    const k = key.slice(2);
    if (key.startsWith("p:")) {
      const n = prefixKey(k);
      let list = idx.prefixes.get(n);
      if (!list && create) idx.prefixes.set(n, (list = []));
      return list;
    }
    const map = key.startsWith("t:") ? idx.terms : key.startsWith("P:") ? idx.longPrefixes : idx.facets;
    let list = map.get(k);
    if (!list && create) map.set(k, (list = []));
    return list;
  }

  function dropIfEmpty(idx: LanguageIndex<M>, key: string): void {
    const k = key.slice(2);
    if (key.startsWith("p:")) {
      if (idx.prefixes.get(prefixKey(k))?.length === 0) idx.prefixes.delete(prefixKey(k));
    } else {
      const map = key.startsWith("t:") ? idx.terms : key.startsWith("P:") ? idx.longPrefixes : idx.facets;
      if (map.get(k)?.length === 0) map.delete(k);
    }
  }

  function facetFieldOf(key: string): FacetField {
    return key.slice(2, key.indexOf(":", 2)) as FacetField;
  }

  function indexSearch(s: Search<M>, lang: string, idx: LanguageIndex<M>): void {
    const anchor = anchorOf(s.ast, lang);
    const keys = anchor ? anchor.keys : null;
    const entry: Entry<M> = { search: s, test: s.query.forLanguage(lang) };
    s.anchors.set(lang, { entry, keys });
    if (!keys) {
      idx.always.push(entry);
      return;
    }
    for (const key of keys) {
      postingsFor(idx, key, true)!.push(entry);
      if (key.startsWith("f:")) idx.facetFields.set(facetFieldOf(key), (idx.facetFields.get(facetFieldOf(key)) ?? 0) + 1);
    }
  }

  function unindexSearch(s: Search<M>, lang: string, idx: LanguageIndex<M>): void {
    const anchored = s.anchors.get(lang);
    if (anchored === undefined) return;
    const { entry, keys } = anchored;
    if (keys === null) {
      const at = idx.always.indexOf(entry);
      idx.always[at] = idx.always[idx.always.length - 1]!;
      idx.always.pop();
      return;
    }
    for (const key of keys) {
      const list = postingsFor(idx, key, false);
      const at = list ? list.indexOf(entry) : -1;
      if (at < 0) continue;
      list![at] = list![list!.length - 1]!;
      list!.pop();
      dropIfEmpty(idx, key);
      if (key.startsWith("f:")) {
        const field = facetFieldOf(key);
        const n = (idx.facetFields.get(field) ?? 1) - 1;
        if (n === 0) idx.facetFields.delete(field);
        else idx.facetFields.set(field, n);
      }
    }
  }

  function indexFor(lang: string): LanguageIndex<M> {
    let idx = indexes.get(lang);
    if (!idx) {
      idx = {
        terms: new Map(), prefixes: new Map(), longPrefixes: new Map(), facets: new Map(), facetFields: new Map(), always: [],
      };
      indexes.set(lang, idx);
      for (const s of searches.values()) indexSearch(s, lang, idx);
    }
    return idx;
  }

  function remove(id: string): boolean {
    const s = searches.get(id);
    if (!s) return false;
    for (const [lang, idx] of indexes) unindexSearch(s, lang, idx);
    searches.delete(id);
    return true;
  }

  for (const lang of options.languages ?? []) indexFor(lang);

  return {
    add(id, ast, meta) {
      remove(id);
      const s: Search<M> = { id, ast, query: compileQuery(ast, norm), meta, anchors: new Map(), stamp: 0 };
      searches.set(id, s);
      for (const [lang, idx] of indexes) indexSearch(s, lang, idx);
    },
    remove,
    match(item) {
      const v: ItemView = makeView(item);
      const idx = indexFor(v.lang);
      const current = ++stamp;
      const out: string[] = [];
      let n = 0;
      const check = (list: Postings<M> | undefined): void => {
        if (!list) return;
        for (let i = 0; i < list.length; i++) {
          const e = list[i]!;
          const s = e.search;
          if (s.stamp === current) continue;
          s.stamp = current;
          n++;
          if (e.test(v)) out.push(s.id);
        }
      };
      const usePrefixes = idx.prefixes.size > 0;
      const useLongPrefixes = idx.longPrefixes.size > 0;
      const terms = v.terms;
      for (let i = 0; i < terms.length; i++) {
        const t = terms[i]!;
        check(idx.terms.get(t));
        if (usePrefixes && t.length >= PREFIX_KEY_LENGTH) check(idx.prefixes.get(prefixKey(t)));
        if (useLongPrefixes && t.length >= LONG_PREFIX_KEY_LENGTH) check(idx.longPrefixes.get(t.slice(0, LONG_PREFIX_KEY_LENGTH)));
      }
      if (idx.facetFields.size > 0) {
        for (const field of FACET_FIELDS) {
          if (!idx.facetFields.has(field)) continue;
          for (const value of facetValues(v, field)) check(idx.facets.get(`${field}:${value}`));
        }
      }
      check(idx.always);
      candidates = n;
      return out;
    },
    matchBruteForce(item) {
      const v = makeView(item);
      const out: string[] = [];
      for (const s of searches.values()) if (s.query.test(v)) out.push(s.id);
      return out;
    },
    has: (id) => searches.has(id),
    meta: (id) => searches.get(id)?.meta,
    get size() {
      return searches.size;
    },
    get lastCandidateCount() {
      return candidates;
    },
  };
}
