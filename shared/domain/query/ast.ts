/**
 * The saved-search query AST, the field vocabulary and the limits that keep a pathological query
 * from stalling a worker. Pure data: no I/O, no clock.
 */

/** Fields a query may filter on (`field:value`). All but `score` are facets. */
export const QUERY_FIELDS = [
  "channel", "source", "platform", "kind", "tag", "team", "segment", "plan", "region", "lang", "sentiment", "score",
] as const;
export type QueryField = (typeof QUERY_FIELDS)[number];
/** Fields compared by (folded) value equality; `score` is compared numerically instead. */
export type FacetField = Exclude<QueryField, "score">;
export const FACET_FIELDS: readonly FacetField[] = QUERY_FIELDS.filter((f): f is FacetField => f !== "score");

/** Limits enforced by the parser; each violation is a {@link QuerySyntaxError}. */
export const QUERY_LIMITS = {
  /** characters in the query text */
  maxLength: 2_000,
  /** nested parentheses and NOTs */
  maxDepth: 20,
  /** words, prefixes, phrases, NEAR pairs and field filters in one query */
  maxClauses: 100,
  /** words inside one quoted phrase */
  maxPhraseWords: 16,
  /** values in one `field:a|b|c` list */
  maxListValues: 50,
  /** the n of NEAR/n */
  maxNearDistance: 100,
  /** characters (after folding) before `*`, so a prefix cannot scan the whole term index */
  minPrefixLength: 3,
} as const;

/** A word as written; it is normalized (per item language) when compiled. */
export interface WordNode {
  type: "word";
  word: string;
}
/** `cancel*`: any term starting with `prefix` (already lowercased and accent-folded, not stemmed). */
export interface PrefixNode {
  type: "prefix";
  prefix: string;
}
/** `"still waiting"`: the words' tokens at consecutive positions. Words as written. */
export interface PhraseNode {
  type: "phrase";
  words: string[];
}
export type NearOperand = WordNode | PhraseNode;
/** `login NEAR/3 error`: both sides with at most `distance` tokens between them, in either order. */
export interface NearNode {
  type: "near";
  left: NearOperand;
  right: NearOperand;
  distance: number;
}
/** `kind:ticket|mention`: the facet equals one of `values` (folded: lowercase, no accents). */
export interface FieldNode {
  type: "field";
  field: FacetField;
  values: string[];
}
export type CompareOp = "<" | "<=" | ">" | ">=" | "=";
/** `score:<7`, `score:9` (equality). Items without a score never match. */
export interface CompareNode {
  type: "compare";
  field: "score";
  op: CompareOp;
  value: number;
}
/** Two or more children, all of which must match. */
export interface AndNode {
  type: "and";
  children: QueryNode[];
}
/** Two or more children, one of which must match. */
export interface OrNode {
  type: "or";
  children: QueryNode[];
}
export interface NotNode {
  type: "not";
  child: QueryNode;
}

export type QueryNode = AndNode | OrNode | NotNode | WordNode | PrefixNode | PhraseNode | NearNode | FieldNode | CompareNode;

/**
 * Normalizes one query word exactly as the enrichment worker normalizes tokens of an item in
 * `language` (lowercase, accent fold, stem). Returns "" for a word that is never stored as a token
 * (a stop word); the query compilers then ignore that word, as search engines do: alone it
 * matches every item, and a phrase or NEAR side keeps only its other words.
 * Injected so the query code does not depend on the NLP core.
 */
export type WordNormalizer = (word: string, language: string) => string;

/** True when the subtree contains a phrase of 2+ words or a NEAR (positions a filter cannot check). */
export function isPositional(node: QueryNode): boolean {
  switch (node.type) {
    case "phrase":
      return node.words.length > 1;
    case "near":
      return true;
    case "and":
    case "or":
      return node.children.some(isPositional);
    case "not":
      return isPositional(node.child);
    default:
      return false;
  }
}
