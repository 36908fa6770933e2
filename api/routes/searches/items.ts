/** A saved search's matches, newest first, with the matched words highlighted. */
import type { z } from "zod";
import type { Collections } from "../../../shared/db/collections";
import type { SearchDoc } from "../../../shared/db/searches-repo";
import { normalizeQueryWord } from "../../../shared/domain/nlp";
import { compileMatcher, parseQuery } from "../../../shared/domain/query";
import { itemsPageQuerySchema, itemsResponseSchema, listItems, type ItemsResponse } from "../items/list-items";

export const itemsQuerySchema = itemsPageQuerySchema.strict();
export { itemsResponseSchema };

export function listMatches(cols: Collections, search: SearchDoc, q: z.output<typeof itemsQuerySchema>): Promise<ItemsResponse> {
  const matcher = compileMatcher(parseQuery(search.query), normalizeQueryWord);
  return listItems(cols, { filter: { workspace: search.workspace, searchIds: search._id }, timeField: "at", matcher }, q);
}
