/**
 * Builds the month rollup documents (shared/domain/metrics/month-rollups.ts) from the day
 * documents: the migration for rollups drained before month documents existed. From then on the
 * drain keeps both.
 *
 * Exact only if no drain writes rollups meanwhile, so it holds every partition's drain lease while
 * it runs (a drain that finds a lease taken retries later). A drain of a version without month
 * documents, still running in another process, would leave them behind: upgrade every worker
 * process together (README).
 */
import type { AnyBulkWriteOperation, Db } from "mongodb";
import { monthDocsOfDays, type MonthRollupDoc, type RollupDoc } from "../domain/metrics";
import { holdingDrainLeases, type DrainLeaseOptions } from "./drain-leases";

/** Month documents per bulk write. */
const WRITE_BATCH = 200;

export type BuildMonthsOptions = DrainLeaseOptions;

export function buildMonthRollups(db: Db, opts: BuildMonthsOptions): Promise<number> {
  return holdingDrainLeases(db, opts, (renew) => build(db, renew));
}

/**
 * Day documents in `_id` order, which groups them by (workspace, scope, family) and then by day:
 * every month of a group is complete when the next month or group starts, so only one month of
 * one group is held at a time.
 */
async function build(db: Db, renew: () => Promise<void>): Promise<number> {
  const rollups = db.collection<RollupDoc>("rollups");
  const months = db.collection<MonthRollupDoc>("rollups");
  const cursor = rollups
    .find({ day: { $exists: true }, tag: null, cut: { $nin: ["*", "5m"] } }, { projection: { lastOp: 0 } })
    .sort({ _id: 1 });
  let group = "";
  let held: RollupDoc[] = [];
  const done = new Set<string>();
  let pending: AnyBulkWriteOperation<MonthRollupDoc>[] = [];
  let written = 0;
  const flushWrites = async () => {
    if (pending.length === 0) return;
    await months.bulkWrite(pending, { ordered: false });
    written += pending.length;
    pending = [];
    await renew();
  };
  const flushGroup = async () => {
    for (const doc of monthDocsOfDays(held).values()) {
      pending.push({ replaceOne: { filter: { _id: doc._id! }, replacement: doc, upsert: true } });
    }
    held = [];
    if (pending.length >= WRITE_BATCH) await flushWrites();
  };
  for await (const d of cursor) {
    const key = `${d.workspace}\u0000${d.scope}\u0000${d.family}\u0000${d.day.slice(0, 7)}`;
    if (key !== group) {
      await flushGroup();
      // A group that comes back would be written twice, the second time without its first part.
      if (done.has(key)) throw new Error(`rollup documents are not grouped by month in _id order (${key.replaceAll("\u0000", "|")})`);
      done.add(key);
      group = key;
    }
    held.push(d);
  }
  await flushGroup();
  await flushWrites();
  return written;
}
