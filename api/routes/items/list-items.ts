/**
 * One page of stored items, newest first, with keyset pagination on (time field, _id): the
 * answer of every route that lists items (a saved search's matches, a chart's drill-down).
 */
import { z } from "zod";
import type { Collections, ItemDoc } from "../../../shared/db/collections";
import { textOf } from "../../../shared/domain/items/text-of";
import { normalizeQueryWord } from "../../../shared/domain/nlp";
import type { MatchableItem } from "../../../shared/domain/query";
import { highlightsOf } from "../../../shared/domain/searches/highlight";
import { ValidationError } from "../../../shared/errors";

const TEXT_LIMIT = 2_000;

export const itemsPageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional().describe("nextCursor of the previous page"),
});

export const itemsResponseSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      at: z.string(),
      source: z.string(),
      externalId: z.string(),
      channel: z.string().optional(),
      text: z.string(),
      sentiment: z.string().nullable(),
      matchedTerms: z.array(z.string()),
      highlights: z.array(z.object({ start: z.number().int(), end: z.number().int(), term: z.string() })),
    }),
  ),
  nextCursor: z.string().nullable(),
});
export type ItemsResponse = z.infer<typeof itemsResponseSchema>;

/** A page position: the last row's time and id (newest-first lists ordered by both). */
export interface Cursor {
  at: string;
  id: string;
}

export const encodeCursor = (at: Date, id: string): string => Buffer.from(JSON.stringify({ at: at.toISOString(), id })).toString("base64url");

export function decodeCursor(s: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(s, "base64url").toString("utf8")) as Cursor;
    if (typeof c.at === "string" && typeof c.id === "string" && !Number.isNaN(Date.parse(c.at))) return c;
  } catch {
    // fall through
  }
  throw new ValidationError("cursor is not one this API gave out", [{ path: "querystring.cursor", message: "is invalid" }]);
}

export interface ItemsSelection {
  filter: Record<string, unknown>;
  /** a Date field of every selected item: the order and the cursor */
  timeField: string;
  /** the matched words of a saved search, to highlight */
  matcher?: (item: MatchableItem) => { hits: string[] };
}

export async function listItems(
  cols: Collections,
  sel: ItemsSelection,
  q: z.output<typeof itemsPageQuerySchema>,
): Promise<ItemsResponse> {
  const tf = sel.timeField;
  let filter = sel.filter;
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    const at = new Date(c.at);
    const after = { $or: [{ [tf]: { $lt: at } }, { [tf]: at, _id: { $lt: c.id } }] };
    // top-level where possible: the store's planner serves top-level fields from indexes
    filter = "$or" in sel.filter ? { $and: [sel.filter, after] } : { ...sel.filter, ...after };
  }
  const docs = await cols.items.find(filter).sort({ [tf]: -1, _id: -1 }).limit(q.limit + 1).toArray();
  const page = docs.slice(0, q.limit);
  const items = page.map((d) => {
    const enrichment = d.enrichment as { language: string; sentiment: { label: string } | null } | undefined;
    const hits = enrichment && sel.matcher ? sel.matcher(d as unknown as MatchableItem).hits : [];
    const text = textOf(d as ItemDoc & { kind: string }).slice(0, TEXT_LIMIT);
    return {
      id: d._id,
      kind: d.kind,
      at: (d[tf] as Date).toISOString(),
      source: d.source as string,
      externalId: d.externalId as string,
      ...(typeof d.channel === "string" ? { channel: d.channel } : {}),
      text,
      sentiment: enrichment?.sentiment?.label ?? null,
      matchedTerms: hits,
      highlights: hits.length ? highlightsOf(text, hits, enrichment?.language ?? "und", normalizeQueryWord) : [],
    };
  });
  const last = page[page.length - 1];
  const nextCursor =
    docs.length > q.limit && last ? encodeCursor(last[tf] as Date, last._id) : null;
  return { items, nextCursor };
}
