/**
 * Data migrations run at start (openStores, the CLI) after the indexes. Each runs once per
 * database: a marker in `migrations` records it. Every step is idempotent, so two processes
 * starting together, or a start killed half way, converge.
 */
import { MongoBulkWriteError, type Db } from "mongodb";
import type { Logger } from "pino";
import { naturalKey } from "../domain/models";
import { DUPLICATE_KEY } from "../errors";
import type { ItemDoc } from "./collections";

interface MigrationDoc {
  _id: string;
  doneAt: Date;
  changed: number;
}

/** Items per bulk write while migrating. */
const BATCH = 500;

/**
 * Item keys without the kind (`workspace|source|externalId`, exactly two unescaped separators)
 * become `workspace|kind|source|externalId`. The item moves to its new `_id` with everything it
 * carries (enrichment, applied rollup contributions, matched searches); a job still holding the
 * old id finds nothing, and the sweeper announces the item again if it was pending.
 */
async function itemKeysWithKind(db: Db): Promise<number> {
  const items = db.collection<ItemDoc>("items");
  const OLD_KEY = /^[^|]*\|[^|]*\|[^|]*$/;
  let changed = 0;
  for (;;) {
    const batch = await items.find({ _id: { $regex: OLD_KEY } }).limit(BATCH).toArray();
    if (batch.length === 0) return changed;
    const moved = batch.map((doc) => ({
      ...doc,
      _id: naturalKey(doc.workspace, doc.kind, String(doc.source), String(doc.externalId)),
    }));
    try {
      await items.insertMany(moved, { ordered: false });
    } catch (err) {
      // Already moved by an earlier, interrupted run or a process starting beside us.
      const errors = err instanceof MongoBulkWriteError ? [err.writeErrors].flat() : [];
      if (errors.length === 0 || errors.some((e) => e.code !== DUPLICATE_KEY)) throw err;
    }
    await items.deleteMany({ _id: { $in: batch.map((d) => d._id) } });
    changed += batch.length;
  }
}

const MIGRATIONS: { id: string; run: (db: Db) => Promise<number> }[] = [
  { id: "2026-12-item-keys-with-kind", run: itemKeysWithKind },
];

export async function runMigrations(db: Db, log: Pick<Logger, "info">): Promise<void> {
  const done = db.collection<MigrationDoc>("migrations");
  for (const m of MIGRATIONS) {
    if (await done.findOne({ _id: m.id })) continue;
    const changed = await m.run(db);
    await done.updateOne({ _id: m.id }, { $set: { doneAt: new Date(), changed } }, { upsert: true });
    log.info({ migration: m.id, changed }, "migration done");
  }
}
