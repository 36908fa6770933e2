/** The saved-search query language: parse, format, compile (matcher, MongoDB filter), percolate. */
export * from "./ast";
export { QuerySyntaxError } from "./errors";
export { foldText } from "./fold";
export { facetsOf, type Facets } from "./facets";
export { parseQuery } from "./parser";
export { formatQuery } from "./format";
export type { MatchableItem } from "./item-view";
export { compileMatcher, compileQuery, type CompiledQuery, type ItemMatcher, type MatchResult } from "./matcher";
export { compileMongoFilter, filterIsExact, MATCH_NOTHING, type MongoFilter } from "./mongo-filter";
export { makePercolator, type Percolator, type PercolatorOptions } from "./percolator";
