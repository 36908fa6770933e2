/**
 * The percolator: which saved searches match this new item? Each search is indexed under an
 * anchor, a set of keys at least one of which every matching item must have:
 *
 * - a word's stem (`t:` + stem), in the language of the item (so anchors are chosen per language)
 * - a prefix (`x:` + prefix), interned like a stem and marked on items with a term starting
 *   with it (`PrefixDictionary`)
 * - a facet value (`f:` + field + value), e.g. `kind:ticket`
 *
 * The anchor of AND is its cheapest child's, of OR the union of its children's (none if one child
 * has none); NOT and `score:` have none. "Cheapest" means the lowest estimated share of items that
 * carry the key: words are preferred (longer stems assumed rarer, or real document frequencies
 * from `options.termFrequency`), then tag/team/segment/plan/region values, then prefixes, then the
 * low-cardinality facets. A search without an anchor (`score:<7`) goes into an always-check
 * list; one that only excludes (`-refund -cancel*`) is listed there as a match unless a veto
 * record under one of the excluded ids was met first (so it costs no verification per item).
 * Stop words (words that normalize to "") are ignored like the matcher ignores them: a word or
 * phrase made only of stop words has no anchor (it matches every item), so its search is
 * anchored by another required clause or goes into the always-check list.
 *
 * `match` marks the item's stems, prefixes and facet values that any search uses (interned to
 * ids, one dense stamp array per language), collects the candidates from their postings and the
 * always-check list, and verifies each by running its compiled program (`program.ts`, stored
 * inline in the postings record), so results equal evaluating every search with the matcher.
 * Searches live in numbered slots so postings are small integers, all in one typed array
 * (`postings.ts`). `add` and `remove` touch only the records of that search: no rebuild. The
 * first item of a language not yet seen indexes every search for that language once (pass
 * `languages` to do it up front). Interned ids are never freed: the id space grows with the
 * distinct stems and values searches have used, not with items.
 */
import type { FacetField, QueryNode, WordNormalizer } from "./ast";
import { makeView, type ItemView, type MatchableItem } from "./item-view";
import { compileQuery, languageNormalizer, type CompiledQuery, type LanguageNormalizer } from "./matcher";
import { withCapacity } from "./int32";
import { PrefixDictionary } from "./prefix-dictionary";
import { compileProgram, hasIdsOfPureOr, notIdsOfPureAnd, runProgram, type ProgramContext, type ViewTest } from "./program";
import { PostingsArena } from "./postings";
import { hashOf, TermTable } from "./term-table";

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
  /** `t:` + stem, `f:` + field + `:` + value, `x:` + prefix */
  keys: string[];
  cost: number;
}

interface Search<M> {
  id: string;
  slot: number;
  ast: QueryNode;
  /** the matcher, for matchBruteForce */
  query: CompiledQuery;
  meta: M | undefined;
}

/**
 * Postings record headers are `(slot << FLAG_BITS) + flags`. DECIDED: the anchor ids are exactly
 * the program's, so reaching the record is the match (stored without code); SOLE: the search
 * has one record, so it is met at most once per item and needs no visited check; VETO: the
 * search excludes this id (`-spam -giveaway`), so an item that has it cannot match: the record
 * only marks the search visited, and its record in the always list (DECIDED, not SOLE) is then
 * skipped. Such searches cost nothing per item beyond the push of their id.
 */
const DECIDED = 1;
const SOLE = 2;
const VETO = 4;
const FLAG_BITS = 3;
/** the postings id of the searches with no anchor, checked for every item (no item has id 0) */
const ALWAYS = 0;

interface LanguageIndex {
  /** interned stems of this language and facet values (one id space) */
  stemIds: TermTable;
  facetIds: Map<FacetField, Map<string, number>>;
  idCount: number;
  /** per id: the stamp of the last item that had it */
  mark: Int32Array<ArrayBuffer>;
  /** per id: the records of the searches anchored on it; id ALWAYS: the searches with no anchor */
  postings: PostingsArena;
  /** the facet fields some search filters on, with their value ids (an array: walked per item) */
  facetFields: { field: FacetField; ids: Map<string, number> }[];
  /** interned prefixes (same id space) */
  prefixes: PrefixDictionary;
  /** the matcher tests programs CALL, by id; freed ids are reused */
  calls: (ViewTest | undefined)[];
  freeCalls: number[];
  /** per slot: the call ids its program uses, and where its records are (`[id, header, id, header, ...]`) */
  slotCalls: (number[] | undefined)[];
  records: (number[] | undefined)[];
}

/** estimated share of items with a term starting with a 3-4 character prefix (longer: a fifth) */
const PREFIX_COST = 0.05;
const LONG_PREFIX_LENGTH = 5;
const COMMON_FACETS: ReadonlySet<FacetField> = new Set(["kind", "lang", "sentiment", "channel", "source", "platform"]);
/** stamps are int32; when they run out every mark is cleared and counting restarts */
const MAX_STAMP = 2 ** 31 - 1;

const defaultFrequency = (stem: string): number => (stem.length <= 3 ? 0.02 : stem.length <= 5 ? 0.01 : 0.005);

function cheapest(anchors: (Anchor | null)[]): Anchor | null {
  let best: Anchor | null = null;
  for (const a of anchors) if (a && (!best || a.cost < best.cost)) best = a;
  return best;
}

/**
 * `list[at] = value`, filling any gap with explicit `undefined`s first: an array written far
 * past its end gets holes, and a sparse one falls back to dictionary elements (hash lookups).
 */
function setAt<T>(list: (T | undefined)[], at: number, value: T | undefined): void {
  while (list.length < at) list.push(undefined);
  list[at] = value;
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

/** The item's current state as programs read it; one per percolator, reset per item. */
class MatchContext implements ProgramContext {
  mark: Int32Array = new Int32Array(0);
  stamp = 0;
  calls: readonly (ViewTest | undefined)[] = [];
  private item: MatchableItem | undefined;
  private cached: ItemView | undefined;

  reset(item: MatchableItem, mark: Int32Array, stamp: number, calls: readonly (ViewTest | undefined)[]): void {
    this.calls = calls;
    this.item = item;
    this.cached = undefined;
    this.mark = mark;
    this.stamp = stamp;
  }

  view(): ItemView {
    return (this.cached ??= makeView(this.item!));
  }
}

/**
 * Makes an empty percolator.
 * @param normalize the same normalizer the matcher uses (memoized here per language and word)
 */
export function makePercolator<M = unknown>(normalize: WordNormalizer, options: PercolatorOptions = {}): Percolator<M> {
  const memo = new Map<string, LanguageNormalizer>();
  const normFor = (lang: string): LanguageNormalizer => {
    let m = memo.get(lang);
    if (!m) memo.set(lang, (m = languageNormalizer(normalize, lang)));
    return m;
  };
  const norm: WordNormalizer = (w, lang, asWritten) => (asWritten ? normFor(lang).asWritten(w) : normFor(lang).term(w));
  const frequency = options.termFrequency ?? defaultFrequency;
  const searches = new Map<string, Search<M>>();
  const indexes = new Map<string, LanguageIndex>();
  /** per slot: the search id (undefined when free), and the stamp of the last item that visited it */
  const slotIds: (string | undefined)[] = [];
  const freeSlots: number[] = [];
  let seen = new Int32Array(64);
  let stamp = 0;
  let candidates = 0;
  const ctx = new MatchContext();
  /** the ids an item marked (reused: match is synchronous) */
  const scratchIds: number[] = [];

  function anchorOf(node: QueryNode, lang: string): Anchor | null {
    // the rarest stem; none when every word is a stop word (the clause then matches every item)
    const words = (ws: readonly string[]): Anchor | null =>
      cheapest(ws.map(normFor(lang).term).filter((s) => s !== "").map((s) => ({ keys: [`t:${s}`], cost: frequency(s, lang) })));
    switch (node.type) {
      case "word":
        return words([node.word]);
      case "phrase":
        return words(node.words);
      case "near":
        return cheapest([anchorOf(node.left, lang), anchorOf(node.right, lang)]);
      case "prefix":
        return { keys: [`x:${node.prefix}`], cost: node.prefix.length >= LONG_PREFIX_LENGTH ? PREFIX_COST / 5 : PREFIX_COST };
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

  function newId(idx: LanguageIndex): number {
    const id = idx.idCount++;
    idx.mark = withCapacity(idx.mark, idx.idCount);
    return id;
  }

  function stemId(idx: LanguageIndex, stem: string): number {
    const known = idx.stemIds.get(stem, hashOf(stem));
    if (known !== -1) return known;
    const id = newId(idx);
    idx.stemIds.add(stem, id);
    return id;
  }

  function facetId(idx: LanguageIndex, field: FacetField, value: string): number {
    let values = idx.facetIds.get(field);
    if (!values) {
      idx.facetIds.set(field, (values = new Map()));
      idx.facetFields.push({ field, ids: values });
    }
    let id = values.get(value);
    if (id === undefined) values.set(value, (id = newId(idx)));
    return id;
  }

  /** The id an anchor key stands for. */
  function anchorId(idx: LanguageIndex, key: string): number {
    const k = key.slice(2);
    if (key[0] === "t") return stemId(idx, k);
    if (key[0] === "x") return idx.prefixes.idOf(k);
    const colon = k.indexOf(":");
    return facetId(idx, k.slice(0, colon) as FacetField, k.slice(colon + 1));
  }

  function indexSearch(s: Search<M>, lang: string, idx: LanguageIndex): void {
    const anchor = anchorOf(s.ast, lang);
    const callIds: number[] = [];
    const code = compileProgram(s.ast, normFor(lang), {
      stemId: (stem) => stemId(idx, stem),
      facetId: (field, value) => facetId(idx, field, value),
      prefixId: (prefix) => idx.prefixes.idOf(prefix),
      callId: (test) => {
        const id = idx.freeCalls.pop() ?? idx.calls.length;
        setAt(idx.calls, id, test);
        callIds.push(id);
        return id;
      },
    });
    setAt(idx.slotCalls, s.slot, callIds);
    const records: number[] = [];
    const append = (id: number, header: number, recordCode: readonly number[]) => {
      idx.postings.append(id, header, recordCode);
      records.push(id, header);
    };
    const base = s.slot << FLAG_BITS;
    if (!anchor) {
      const vetoIds = notIdsOfPureAnd(code);
      if (vetoIds) {
        for (const id of new Set(vetoIds)) append(id, base + VETO, []);
        append(ALWAYS, base + DECIDED, []);
      } else append(ALWAYS, base + SOLE, code);
    } else {
      const anchorIds = anchor.keys.map((key) => anchorId(idx, key));
      const programIds = hasIdsOfPureOr(code);
      const decided = programIds !== null && sameSet(programIds, anchorIds);
      const header = base + (decided ? DECIDED : 0) + (anchorIds.length === 1 ? SOLE : 0);
      for (const id of anchorIds) append(id, header, decided ? [] : code);
    }
    setAt(idx.records, s.slot, records);
  }

  function unindexSearch(s: Search<M>, idx: LanguageIndex): void {
    const records = idx.records[s.slot];
    if (records === undefined) return;
    for (let i = 0; i < records.length; i += 2) idx.postings.remove(records[i]!, records[i + 1]!);
    for (const id of idx.slotCalls[s.slot] ?? []) {
      idx.calls[id] = undefined;
      idx.freeCalls.push(id);
    }
    idx.slotCalls[s.slot] = undefined;
    idx.records[s.slot] = undefined;
  }

  function newLanguageIndex(): LanguageIndex {
    const idx: LanguageIndex = {
      stemIds: new TermTable(), facetIds: new Map(), facetFields: [], idCount: ALWAYS + 1, mark: new Int32Array(64),
      postings: new PostingsArena(), prefixes: new PrefixDictionary(() => newId(idx)),
      calls: [], freeCalls: [], slotCalls: [], records: [],
    };
    return idx;
  }

  /** the last language matched and its index: a stream is mostly one language */
  let lastLang = "";
  let lastIndex: LanguageIndex | undefined;

  function indexFor(lang: string): LanguageIndex {
    if (lang === lastLang && lastIndex) return lastIndex;
    let idx = indexes.get(lang);
    if (!idx) {
      indexes.set(lang, (idx = newLanguageIndex()));
      for (const s of searches.values()) indexSearch(s, lang, idx);
    }
    lastLang = lang;
    lastIndex = idx;
    return idx;
  }

  function remove(id: string): boolean {
    const s = searches.get(id);
    if (!s) return false;
    for (const idx of indexes.values()) unindexSearch(s, idx);
    searches.delete(id);
    slotIds[s.slot] = undefined;
    freeSlots.push(s.slot);
    return true;
  }

  /**
   * Verifies each record of the list of `id` whose search was not yet visited for this item;
   * adds matches to `out`. Returns how many searches it verified.
   */
  function verify(postings: PostingsArena, id: number, current: number, out: string[]): number {
    const visited = seen;
    const list = postings.data;
    let n = 0;
    for (let i = postings.start(id), end = i + postings.length(id); i < end; ) {
      const header = list[i]!;
      const at = i + 2;
      i = at + list[i + 1]!;
      const slot = header >>> FLAG_BITS;
      if ((header & VETO) !== 0) {
        visited[slot] = current;
        continue;
      }
      if ((header & SOLE) === 0) {
        if (visited[slot] === current) continue;
        visited[slot] = current;
      }
      n++;
      if ((header & DECIDED) !== 0 || runProgram(list, at, ctx)) out.push(slotIds[slot]!);
    }
    return n;
  }

  function nextStamp(): number {
    if (stamp === MAX_STAMP) {
      for (const idx of indexes.values()) idx.mark.fill(0);
      seen.fill(0);
      stamp = 0;
    }
    return ++stamp;
  }

  for (const lang of options.languages ?? []) indexFor(lang);

  return {
    add(id, ast, meta) {
      remove(id);
      const slot = freeSlots.pop() ?? slotIds.length;
      setAt(slotIds, slot, id);
      seen = withCapacity(seen, slot + 1);
      const s: Search<M> = { id, slot, ast, query: compileQuery(ast, norm), meta };
      searches.set(id, s);
      for (const [lang, idx] of indexes) indexSearch(s, lang, idx);
    },
    remove,
    match(item) {
      const idx = indexFor(item.enrichment.language);
      const current = nextStamp();
      const mark = idx.mark;
      ctx.reset(item, mark, current, idx.calls);
      const out: string[] = [];

      // 1. mark every stem and facet value of the item that some search uses (programs read the
      // marks, so all are set before any candidate runs)
      const hitIds = scratchIds;
      hitIds.length = 0;
      const terms = item.enrichment.terms;
      const prefixes = idx.prefixes.size > 0 ? idx.prefixes : undefined;
      for (let i = 0; i < terms.length; i++) {
        const t = terms[i]!;
        // walking the term for prefixes computes its hash on the way
        const id = idx.stemIds.get(t, prefixes ? prefixes.markPrefixesOf(t, mark, current, hitIds) : hashOf(t));
        if (id !== -1 && mark[id] !== current) {
          mark[id] = current;
          hitIds.push(id);
        }
      }
      for (let k = 0; k < idx.facetFields.length; k++) {
        const { field, ids } = idx.facetFields[k]!;
        const f = field === "kind" ? item.kind : item.facets[field];
        if (f === undefined) continue;
        if (typeof f === "string") {
          const id = ids.get(f);
          if (id !== undefined && mark[id] !== current) {
            mark[id] = current;
            hitIds.push(id);
          }
        } else {
          for (let i = 0; i < f.length; i++) {
            const id = ids.get(f[i]!);
            if (id !== undefined && mark[id] !== current) {
              mark[id] = current;
              hitIds.push(id);
            }
          }
        }
      }

      // 2. verify the candidates: anchored on a marked id, or always checked
      let verified = 0;
      for (let i = 0; i < hitIds.length; i++) verified += verify(idx.postings, hitIds[i]!, current, out);
      candidates = verified + verify(idx.postings, ALWAYS, current, out);
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
