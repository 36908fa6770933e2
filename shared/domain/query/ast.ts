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
/** `"still waiting"`: the words at consecutive positions of the item's words as written (stop words included). */
export interface PhraseNode {
  type: "phrase";
  words: string[];
}
export type NearOperand = WordNode | PhraseNode;
/**
 * `login NEAR/3 error`: both sides with at most `distance` words between them (every word of the
 * text counted), in either order; `NEAR/3f` (`ordered`): the left side first.
 */
export interface NearNode {
  type: "near";
  left: NearOperand;
  right: NearOperand;
  distance: number;
  /** `NEAR/nf`: only with `left` before `right` (absent: either order) */
  ordered?: true;
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
 * Normalizes one query word exactly as the enrichment worker normalizes the words of an item in
 * `language` (lowercase, accent fold, stem). Returns "" for a word that is never stored as a term
 * (a stop word): a lone query word that is one is ignored, as search engines do (it matches every
 * item). With `asWritten` it returns the word's entry in the item's words as written
 * (`enrichment.words`, where a stop word keeps its place as its folded form): phrases and NEAR
 * compare those, so every word of a phrase counts. For any other word both are the same.
 * Injected so the query code does not depend on the NLP core.
 */
export type WordNormalizer = (word: string, language: string, asWritten?: boolean) => string;

/** The words of a NEAR side. */
export function nearWords(n: NearOperand): readonly string[] {
  return n.type === "word" ? [n.word] : n.words;
}

/**
 * True when the subtree contains a phrase or a NEAR (positions a filter cannot check; a one-word
 * phrase needs them when its word is a stop word, which only the normalizer knows).
 */
export function isPositional(node: QueryNode): boolean {
  switch (node.type) {
    case "phrase":
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
