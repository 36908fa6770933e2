/**
 * Reads the enriched items whose terms rising-terms compares: one period of a workspace, or of a
 * saved search's matches, newest first and capped (the answer says when the cap cut it short).
 * Shared by GET /v1/terms and the alert evaluator's "why".
 */
import { ITEM_KINDS, type Enrichment } from "../domain/models";
import type { Collections, ItemDoc } from "./collections";

/** An item as read here: enriched, with the enrichment rising terms counts; its text only `withText`. */
export type TermItem = Pick<ItemDoc, "_id" | "kind" | "at"> & {
  enrichment: Pick<Enrichment, "tokens" | "terms" | "keywords">;
  /** a mention's text (near duplicates fall back to it) */
  text?: string;
  externalId?: string;
  subject?: string;
  body?: string;
  comment?: string;
};

export interface TermItemsQuery {
  workspace: string;
  searchId: string | null;
  kind?: string;
  from: Date;
  to: Date;
  limit: number;
  /** also read the text fields (for showing example items) */
  withText?: boolean;
}

export async function readTermItems(cols: Pick<Collections, "items">, q: TermItemsQuery): Promise<{ items: TermItem[]; truncated: boolean }> {
  const filter: Record<string, unknown> = { workspace: q.workspace, at: { $gte: q.from, $lt: q.to }, enrichment: { $exists: true } };
  if (q.searchId) filter.searchIds = q.searchId;
  // Every kind spelled out when none is asked for: the index {workspace, kind, at} then serves the
  // range on `at` for each kind (MongoDB merges them in `at` order), instead of every item of the
  // workspace being read and sorted to find one period's.
  filter.kind = q.kind ?? { $in: [...ITEM_KINDS] };
  const projection: Record<string, 1> = { kind: 1, at: 1, text: 1, "enrichment.tokens": 1, "enrichment.terms": 1, "enrichment.keywords": 1 };
  if (q.withText) Object.assign(projection, { externalId: 1, subject: 1, body: 1, comment: 1 });
  const items = await cols.items
    .find<TermItem>(filter, { projection })
    .sort({ at: -1 })
    .limit(q.limit + 1)
    .toArray();
  return { items: items.slice(0, q.limit), truncated: items.length > q.limit };
}
