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
import { idOrderedBatches } from "./id-batches";

/** Documents per bulk write. */
const WRITE_BATCH = 500;

export async function addDayTotals(db: Db, opts: DrainLeaseOptions & { onProgress?: (done: number) => void }): Promise<number> {
  return holdingDrainLeases(db, opts, async (renew) => {
    const rollups = db.collection<RollupDoc>("rollups");
    const pending: Filter<RollupDoc> = { day: { $exists: true }, cut: { $ne: FINE_CUT } };
    let written = 0;
    const batches = idOrderedBatches<Pick<RollupDoc, "h"> & { _id: string }, RollupDoc>(rollups, pending, { projection: { _id: 1, h: 1 }, batchSize: WRITE_BATCH });
    for await (const batch of batches) {
      const writes = batch.map((doc): AnyBulkWriteOperation<RollupDoc> => ({
        updateOne: { filter: { _id: doc._id }, update: { $set: { d: dayTotalOf(doc.h ?? {}) } } },
      }));
      await rollups.bulkWrite(writes, { ordered: false });
      written += writes.length;
      opts.onProgress?.(written);
      await renew();
    }
    return written;
  });
}
