/**
 * When a workspace's earliest and latest items happened (`at`: a ticket's creation, a mention's
 * posting, a survey answer's response), so a page whose period holds none of them can say where the
 * data is. One index-served read per kind and end (workspace_kind_at), never a scan.
 */
import type { Collection } from "mongodb";
import { ITEM_KINDS, type ItemKind } from "../domain/models";
import type { ItemDoc } from "./collections";

export interface ItemSpan {
  first: Date | null;
  last: Date | null;
}

export async function itemSpanOf(items: Collection<ItemDoc>, workspace: string): Promise<ItemSpan> {
  const endOf = async (kind: ItemKind, direction: 1 | -1): Promise<Date | null> => {
    const doc = await items.findOne({ workspace, kind }, { sort: { at: direction }, projection: { _id: 0, at: 1 } });
    return doc ? doc.at : null;
  };
  const ends = await Promise.all(ITEM_KINDS.flatMap((kind) => [endOf(kind, 1), endOf(kind, -1)]));
  const times = ends.filter((d): d is Date => d !== null).map((d) => d.getTime());
  if (times.length === 0) return { first: null, last: null };
  return { first: new Date(Math.min(...times)), last: new Date(Math.max(...times)) };
}
