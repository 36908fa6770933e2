/**
 * Reads the enriched items whose terms rising-terms compares: one period of a workspace, or of a
 * saved search's matches. `readTermItems`: newest first and capped (the answer says when the cap
 * cut it short), for the alert evaluator's short windows. `readTermSample`: a sample spread over
 * the period in proportion to its items, for GET /v1/terms over long periods.
 */
import { ITEM_KINDS, type Enrichment, type ItemKind } from "../domain/models";
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

/** What rising terms reads of an item (a mention's text: near duplicates fall back to it). */
const TERM_FIELDS: Record<string, 1> = { kind: 1, at: 1, text: 1, "enrichment.tokens": 1, "enrichment.terms": 1, "enrichment.keywords": 1 };

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
  const projection: Record<string, 1> = { ...TERM_FIELDS };
  if (q.withText) Object.assign(projection, { externalId: 1, subject: 1, body: 1, comment: 1 });
  const items = await cols.items
    .find<TermItem>(filter, { projection })
    .sort({ at: -1 })
    .limit(q.limit + 1)
    .toArray();
  return { items: items.slice(0, q.limit), truncated: items.length > q.limit };
}

/** Equal slices of time a period is split into for its sample. */
const SAMPLE_SLICES = 10;

export interface TermSample {
  items: TermItem[];
  /** the period's items (counted from index keys; pending ones included) */
  population: number;
}

/**
 * At most about `limit` enriched items of a workspace's period, spread over it in proportion to its
 * items: the period is cut into equal slices of time per kind, each slice counted from the index
 * {workspace, kind, at} alone, and each read newest first up to its share of `limit`. A spike
 * that holds half the period's items holds half the sample, so rising terms still see it; a
 * period within `limit` is read whole. Saved searches' matches take `readTermItems` (their index
 * is multikey, so counting slices would read every match).
 */
export async function readTermSample(cols: Pick<Collections, "items">, q: Omit<TermItemsQuery, "searchId" | "withText">): Promise<TermSample> {
  const kinds: readonly ItemKind[] = q.kind ? [q.kind as ItemKind] : ITEM_KINDS;
  const span = q.to.getTime() - q.from.getTime();
  const edges = Array.from({ length: SAMPLE_SLICES + 1 }, (_, i) => new Date(q.from.getTime() + Math.round((span * i) / SAMPLE_SLICES)));
  const cells = kinds.flatMap((kind) => edges.slice(0, -1).map((from, i) => ({ kind, from, to: edges[i + 1]! })));
  const counts = await Promise.all(cells.map((c) => cols.items.countDocuments({ workspace: q.workspace, kind: c.kind, at: { $gte: c.from, $lt: c.to } })));
  const population = counts.reduce((a, b) => a + b, 0);
  if (population <= q.limit) {
    const { items } = await readTermItems(cols, { ...q, searchId: null, limit: q.limit });
    return { items, population };
  }
  const parts = await Promise.all(
    cells.map((c, i) => {
      const share = Math.round((q.limit * counts[i]!) / population);
      if (share === 0) return Promise.resolve([] as TermItem[]);
      const filter = { workspace: q.workspace, kind: c.kind, at: { $gte: c.from, $lt: c.to }, enrichment: { $exists: true } };
      return cols.items.find<TermItem>(filter, { projection: TERM_FIELDS }).sort({ at: -1 }).limit(share).toArray();
    }),
  );
  return { items: parts.flat(), population };
}
