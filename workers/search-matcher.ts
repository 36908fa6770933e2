/**
 * Which saved searches an item matches, asked by the enrichment pass. The percolator-backed
 * implementation lives in search-registry.ts; this seam keeps the enrichment processor testable.
 */
import type { MatchableItem } from "../shared/domain/query";

export interface SearchMatcher {
  /** ids of the workspace's saved searches that `item` (enriched, with facets) matches */
  matchIds(workspace: string, item: MatchableItem): Promise<string[]>;
}
