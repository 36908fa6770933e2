/**
 * Gives every day document of the trend cuts its day total `d` (the sum of its hourly slots; see
 * shared/domain/metrics/rollups.ts): the migration for rollups drained before day totals existed.
 * From then on the drain keeps `d` with the hours.
 *
 * Every document's total is set from its hours, not only where it is missing: a drain of this
 * version that ran before the migration added to `d` only what it drained. Exact only if no drain
 * writes meanwhile, so it holds every partition's drain lease while it runs.
 */
import type { AnyBulkWriteOperation, Db, Filter } from "mongodb";
import { dayTotalOf, FINE_CUT, type RollupDoc } from "../domain/metrics";
import { holdingDrainLeases, type DrainLeaseOptions } from "./drain-leases";

/** Documents per bulk write. */
const WRITE_BATCH = 500;

export async function addDayTotals(db: Db, opts: DrainLeaseOptions & { onProgress?: (done: number) => void }): Promise<number> {
  return holdingDrainLeases(db, opts, async (renew) => {
    const rollups = db.collection<RollupDoc>("rollups");
    const pending: Filter<RollupDoc> = { day: { $exists: true }, cut: { $ne: FINE_CUT } };
    let written = 0;
    // In `_id` order, each batch after the last: documents rewritten meanwhile are never met twice.
    let after: string | undefined;
    for (;;) {
      const filter = after === undefined ? pending : { ...pending, _id: { $gt: after } };
      const batch = await rollups.find(filter, { projection: { _id: 1, h: 1 } }).sort({ _id: 1 }).limit(WRITE_BATCH).toArray();
      if (batch.length === 0) break;
      after = batch[batch.length - 1]!._id;
      const writes = batch.map((doc): AnyBulkWriteOperation<RollupDoc> => ({
        updateOne: { filter: { _id: doc._id! }, update: { $set: { d: dayTotalOf(doc.h ?? {}) } } },
      }));
      await rollups.bulkWrite(writes, { ordered: false });
      written += writes.length;
      opts.onProgress?.(written);
      await renew();
    }
    return written;
  });
}
