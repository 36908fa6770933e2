/**
 * One page of stored items, newest first, with keyset pagination on (time field, _id): the
 * answer of every route that lists items (a saved search's matches, a chart's drill-down).
 */
import { z } from "zod";
import { isEnriched, type Collections, type ItemDoc } from "../../../shared/db/collections";
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

/** The item time a list is ordered by: its own time, or a ticket's resolution or first response. */
export type ItemTimeField = "at" | "resolvedAt" | "firstResponseAt";

/** The item's time in `tf`; the selection's filter ranges on that field, so the item has it. */
function timeOf(d: ItemDoc, tf: ItemTimeField): Date {
  const t = tf === "at" ? d.at : d.kind === "ticket" ? d[tf] : undefined;
  if (!t) throw new Error(`item ${d._id} has no ${tf}`);
  return t;
}

export interface ItemsSelection {
  filter: Record<string, unknown>;
  /** a Date field of every selected item: the order and the cursor */
  timeField: ItemTimeField;
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
    const enrichment = d.enrichment;
    const hits = isEnriched(d) && sel.matcher ? sel.matcher(d).hits : [];
    const text = textOf(d).slice(0, TEXT_LIMIT);
    const channel = d.kind === "mention" ? undefined : d.channel;
    return {
      id: d._id,
      kind: d.kind,
      at: timeOf(d, tf).toISOString(),
      source: d.source,
      externalId: d.externalId,
      ...(typeof channel === "string" ? { channel } : {}),
      text,
      sentiment: enrichment?.sentiment?.label ?? null,
      matchedTerms: hits,
      highlights: hits.length ? highlightsOf(text, hits, enrichment?.language ?? "und", normalizeQueryWord) : [],
    };
  });
  const last = page[page.length - 1];
  const nextCursor =
    docs.length > q.limit && last ? encodeCursor(timeOf(last, tf), last._id) : null;
  return { items, nextCursor };
}
