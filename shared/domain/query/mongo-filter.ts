/**
 * Compiles a query into a MongoDB filter over stored items, for the backfill and for listing.
 *
 * Safety: every key of the filter is a constant of this file (`enrichment.terms`, `facets.tag`,
 * `$or`, ...); user input only ever appears as a string or number value, never as a key, an
 * operator name or a regular expression (prefixes become a range on array elements).
 *
 * Exactness: phrases and NEAR need token positions, which a filter cannot check. The filter is
 * built to be a SUPERSET of the in-memory matcher: a positional clause compiles to the conjunction
 * of its words; under NOT (where a superset of the clause would give a subset of the query) the
 * clause is replaced by "match nothing", so `NOT "a b"` becomes "match all" for that part. Each
 * clause is compiled either as an over-approximation or an under-approximation depending on the
 * number of NOTs above it. When {@link filterIsExact} is false the backfill must confirm each
 * candidate with `compileMatcher`.
 *
 * Stop words: a lone word that normalizes to "" is ignored, as by the matcher: it matches every
 * item of that language, so its NOT matches none. In a phrase or NEAR a stop word counts (it has
 * a place in the item's words as written) but has no term to require, so `"thank you"` needs
 * `thank` among the terms and its positions confirmed by the matcher, and `"on the"` needs no
 * term at all (every item of the language is a candidate).
 *
 * Languages: a word matches an item when the item's language's normalization of the word is one
 * of its terms, so the filter is `$or` over `languages` (grouped by identical stems) of
 * `{ "enrichment.language": {$in: [...]}, "enrichment.terms": stem }`. `languages` must list every
 * language present among the items filtered (e.g. `distinct("enrichment.language")`); a word
 * clause never matches an item in a language that is not listed (except that a clause made only of
 * stop words in every listed language becomes "match all").
 */
import { isPositional, nearWords, type FacetField, type QueryNode, type WordNormalizer } from "./ast";

/** A MongoDB query document (assignable to the driver's `Filter<Document>`). */
export type MongoFilter = { [key: string]: unknown };

const TRUE = Symbol("match all");
const FALSE = Symbol("match nothing");
type Part = MongoFilter | typeof TRUE | typeof FALSE;

/** `over`: the result contains every match; `under`: the result contains only matches. */
type Mode = "over" | "under";

/** Where each facet lives in a stored item. */
const FACET_PATH: Record<FacetField, string> = {
  channel: "facets.channel",
  source: "facets.source",
  platform: "facets.platform",
  kind: "kind",
  tag: "facets.tag",
  team: "facets.team",
  segment: "facets.segment",
  plan: "facets.plan",
  region: "facets.region",
  lang: "facets.lang",
  sentiment: "facets.sentiment",
};

const COMPARE = { "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte" } as const;

/**
 * The smallest string greater than every string that starts with `p`, in code point order
 * (MongoDB's binary UTF-8 order): `p` with its last code point incremented.
 */
function successor(p: string): string {
  const chars = [...p];
  const last = chars.pop()!.codePointAt(0)!;
  const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
  return chars.join("") + String.fromCodePoint(Math.min(next, 0x10ffff));
}

function and(parts: Part[]): Part {
  if (parts.includes(FALSE)) return FALSE;
  const fs = parts.filter((p): p is MongoFilter => p !== TRUE);
  if (fs.length === 0) return TRUE;
  return fs.length === 1 ? fs[0]! : { $and: fs };
}

function or(parts: Part[]): Part {
  if (parts.includes(TRUE)) return TRUE;
  const fs = parts.filter((p): p is MongoFilter => p !== FALSE);
  if (fs.length === 0) return FALSE;
  return fs.length === 1 ? fs[0]! : { $or: fs };
}

function not(p: Part): Part {
  if (p === TRUE) return FALSE;
  if (p === FALSE) return TRUE;
  const keys = Object.keys(p);
  if (keys.length === 1 && keys[0] === "$nor" && (p.$nor as MongoFilter[]).length === 1) return (p.$nor as MongoFilter[])[0]!;
  return { $nor: [p] };
}

/** All of `stems` (distinct, at least one) among the terms. */
function termsClause(stems: string[]): MongoFilter {
  return { "enrichment.terms": stems.length === 1 ? stems[0] : { $all: stems } };
}

class Compiler {
  constructor(
    private readonly normalize: WordNormalizer,
    private readonly languages: readonly string[],
  ) {}

  /**
   * A word, phrase or NEAR, compiled per language. A lone word, or a phrase of one word that is
   * not a stop word, is exact: its term among the terms, or every item of the language for a
   * stop word (never `{$all: []}`, which matches nothing). Anything else needs positions: `over`
   * requires every term of its words (stop words have none), `under` matches nothing in that
   * language. Languages with the same outcome share one `$or` branch.
   */
  private clause(node: QueryNode & { type: "word" | "phrase" | "near" }, mode: Mode): Part {
    const words = node.type === "word" ? [node.word] : node.type === "phrase" ? node.words : [...nearWords(node.left), ...nearWords(node.right)];
    const groups = new Map<string, { stems: string[]; langs: string[] }>();
    for (const lang of this.languages) {
      const terms = words.map((w) => this.normalize(w, lang)).filter((t) => t !== "");
      const exact = node.type === "word" || (node.type === "phrase" && words.length === 1 && terms.length === 1);
      if (!exact && mode === "under") continue;
      const stems = [...new Set(terms)];
      const key = JSON.stringify(stems);
      const g = groups.get(key);
      if (g) g.langs.push(lang);
      else groups.set(key, { stems, langs: [lang] });
    }
    const gs = [...groups.values()];
    if (gs.length === 0) return FALSE;
    if (gs.length === 1 && gs[0]!.langs.length === this.languages.length) {
      return gs[0]!.stems.length === 0 ? TRUE : termsClause(gs[0]!.stems);
    }
    return or(
      gs.map((g) => ({
        "enrichment.language": g.langs.length === 1 ? g.langs[0] : { $in: g.langs },
        ...(g.stems.length > 0 && termsClause(g.stems)),
      })),
    );
  }

  compile(node: QueryNode, mode: Mode): Part {
    switch (node.type) {
      case "word":
      case "phrase":
      case "near":
        return this.clause(node, mode);
      case "prefix":
        return { "enrichment.terms": { $elemMatch: { $gte: node.prefix, $lt: successor(node.prefix) } } };
      case "field": {
        const path = FACET_PATH[node.field];
        const values = [...new Set(node.values)];
        return { [path]: values.length === 1 ? values[0] : { $in: values } };
      }
      case "compare":
        return { score: node.op === "=" ? node.value : { [COMPARE[node.op]]: node.value } };
      case "not":
        return not(this.compile(node.child, mode === "over" ? "under" : "over"));
      case "and":
        return and(node.children.map((c) => this.compile(c, mode)));
      case "or":
        return or(node.children.map((c) => this.compile(c, mode)));
    }
  }
}

/** A filter no document satisfies (`_id` is never in an empty list). */
export const MATCH_NOTHING: MongoFilter = Object.freeze({ _id: { $in: [] } });

/**
 * Compiles a query into a MongoDB filter over `enrichment.terms`, `enrichment.language`,
 * `facets.*`, `kind` and `score`. The result contains every item the in-memory matcher accepts;
 * it contains exactly those items when {@link filterIsExact} is true.
 * @param normalize the same normalizer given to `compileMatcher`
 * @param languages every item language that may occur among the filtered items
 */
export function compileMongoFilter(ast: QueryNode, normalize: WordNormalizer, languages: readonly string[]): MongoFilter {
  const part = new Compiler(normalize, [...new Set(languages)]).compile(ast, "over");
  if (part === TRUE) return {};
  if (part === FALSE) return { ...MATCH_NOTHING };
  return part;
}

/**
 * True when `compileMongoFilter(ast, ...)` selects exactly the items `compileMatcher(ast, ...)`
 * matches (no phrase and no NEAR anywhere in the query; a one-word phrase of a content word is in
 * fact exact, but only the normalizer knows which words are stop words).
 */
export function filterIsExact(ast: QueryNode): boolean {
  return !isPositional(ast);
}
