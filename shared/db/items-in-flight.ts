/**
 * How many of a workspace's accepted items are not in its trends yet: waiting for enrichment (new,
 * or an update of an item), or enriched and waiting for the rollup drain. Each is counted from the
 * keys of a partial index on `workspace` (pending_workspace, rollup_dirty_workspace), reading no
 * item, so a page can ask while an import runs. An item updated before the drain counted its
 * previous version is in both counts, so they are given apart, never summed.
 */
import type { Collection } from "mongodb";
import type { ItemDoc } from "./collections";

export interface ItemsInFlight {
  enriching: number;
  counting: number;
}

export async function itemsInFlightOf(items: Collection<ItemDoc>, workspace: string): Promise<ItemsInFlight> {
  const [enriching, counting] = await Promise.all([
    items.countDocuments({ workspace, pending: true }),
    items.countDocuments({ workspace, rollupDirty: { $exists: true } }),
  ]);
  return { enriching, counting };
}
