/**
 * Keeps the hourly rollup buckets equal to what a full recomputation from the stored items would
 * give, under at-least-once delivery. Each item records the contributions last applied for it
 * (`rollupApplied`); a drain diffs them with the item's current contributions and applies the
 * difference. To make that exact when a drain dies half way:
 *
 * 1. the whole batch's coalesced increments and the items' new `rollupApplied` are first written
 *    as one operation document (a write-ahead record) in `rollup_ops`;
 * 2. each rollup update is guarded by `lastOp != op` and sets `lastOp = op`, so replaying the
 *    operation skips buckets it already reached;
 * 3. the items are then stamped and the operation deleted.
 * A drain that starts replays any operation left behind before doing new work. Drains run one at a
 * time across all processes (global concurrency 1), which is what makes the single `lastOp`
 * guard sufficient: no other operation can touch a bucket between a crash and its replay.
 */
import { MongoBulkWriteError, ObjectId, type AnyBulkWriteOperation } from "mongodb";
import type { Job } from "bullmq";
import {
  contributionsOf,
  diffContributions,
  fullTupleOf,
  withCuts,
  type Contribution,
  type RollupIncrement,
  type RollupItem,
} from "../../shared/domain/metrics";
import type { ItemDoc, RollupDoc } from "../../shared/db/collections";
import { DUPLICATE_KEY } from "../../shared/errors";
import { makeLease, type LeaseDoc } from "../../shared/db/lease";
import type { WorkerDeps } from "../deps";

export const ROLLUP_BATCH = 1_000;
/** Increments per operation document: ~200 bytes each keeps it far below MongoDB's 16 MB. */
export const MAX_OP_INCREMENTS = 20_000;
/** A drain that stops renewing (killed) loses the lease after this. */
export const DRAIN_LEASE_MS = 60_000;

/**
 * A contribution as applied for one scope ("all" or a saved-search id). Items record only the
 * full-tuple (cut "*") ones (`fullTupleOf`); the other cuts are derived with `withCuts` when
 * diffing, which keeps `rollupApplied` and the write-ahead operation about as small as before
 * cuts existed.
 */
export type ScopedContribution = Contribution & { scope: string };


export interface RollupOp {
  _id: string;
  createdAt: Date;
  rollups: RollupIncrement[];
  items: { _id: string; applied: ScopedContribution[]; token: unknown }[];
}

/** Test hook: called between the steps of an operation so a test can "kill" the drain there. */
export type RollupFailpoint = (stage: "op-written" | "rollups-applied" | "items-stamped") => void;

export function makeUpdateRollups(deps: WorkerDeps, failpoint: RollupFailpoint = () => {}) {
  const ops = deps.db.collection<RollupOp>("rollup_ops");
  const rollups = deps.cols.rollups;

  async function applyOp(op: RollupOp): Promise<void> {
    if (op.rollups.length) {
      const writes: AnyBulkWriteOperation<RollupDoc>[] = op.rollups.map((r) => ({
        updateOne: {
          filter: { _id: r._id, lastOp: { $ne: op._id } },
          update: {
            $inc: r.inc,
            $set: { lastOp: op._id },
            $setOnInsert: { workspace: r.workspace, scope: r.scope, family: r.family, day: r.day, cut: r.cut, dims: r.dims, tag: r.tag },
          },
          upsert: true,
        },
      }));
      await ignoringDuplicates(() => rollups.bulkWrite(writes, { ordered: false }));
    }
    failpoint("rollups-applied");
    if (op.items.length) {
      const writes: AnyBulkWriteOperation<ItemDoc>[] = op.items.flatMap((it) => [
        { updateOne: { filter: { _id: it._id }, update: { $set: { rollupApplied: it.applied } } } },
        // Still dirty if the item changed again after this drain read it.
        { updateOne: { filter: { _id: it._id, rollupDirty: it.token }, update: { $unset: { rollupDirty: "" } } } },
      ]);
      await deps.cols.items.bulkWrite(writes, { ordered: true });
    }
    failpoint("items-stamped");
    await ops.deleteOne({ _id: op._id });
  }

  async function activeScopesOf(workspaces: string[]): Promise<Map<string, Set<string>>> {
    const out = new Map(workspaces.map((w) => [w, new Set(["all"])]));
    const searches = await deps.db
      .collection("searches")
      .find({ workspace: { $in: workspaces }, deletedAt: { $exists: false } }, { projection: { _id: 1, workspace: 1 } })
      .toArray();
    for (const s of searches) out.get(s.workspace)?.add(String(s._id));
    return out;
  }

  /** One batch of dirty items; returns how many it handled (0 = nothing left). */
  async function drainOnce(): Promise<number> {
    const docs = await deps.cols.items.find({ rollupDirty: { $exists: true } }).limit(ROLLUP_BATCH).toArray();
    if (docs.length === 0) return 0;
    const active = await activeScopesOf([...new Set(docs.map((d) => d.workspace as string))]);
    const updates = new Map<string, RollupIncrement>();
    const items: RollupOp["items"] = [];
    for (const doc of docs) {
      const scopes = active.get(doc.workspace)!;
      const own = fullTupleOf(safeContributionsOf(doc, deps));
      const current: ScopedContribution[] = ["all", ...((doc.searchIds as string[] | undefined) ?? [])]
        .filter((s) => scopes.has(s))
        .flatMap((scope) => own.map((c) => ({ ...c, scope })));
      // Contributions to deleted searches are gone with their rollups: never subtract from them.
      const previous = ((doc.rollupApplied as ScopedContribution[] | undefined) ?? []).filter((c) => scopes.has(c.scope));
      for (const scope of new Set([...current, ...previous].map((c) => c.scope))) {
        diffContributions(
          withCuts(previous.filter((c) => c.scope === scope)),
          withCuts(current.filter((c) => c.scope === scope)),
          { workspace: doc.workspace, scope },
          updates,
        );
      }
      items.push({ _id: doc._id, applied: current, token: doc.rollupDirty });
      // The operation is one MongoDB document (16 MB at most): stop adding items when it grows
      // large; the rest stay dirty for the next round.
      if (updates.size >= MAX_OP_INCREMENTS) break;
    }
    const op: RollupOp = {
      _id: new ObjectId().toHexString(),
      createdAt: deps.now(),
      rollups: [...updates.values()],
      items,
    };
    await ops.insertOne(op);
    failpoint("op-written");
    await applyOp(op);
    return items.length;
  }

  const lease = makeLease(deps.db.collection<LeaseDoc>("leases"), "rollup-drain", DRAIN_LEASE_MS, deps.now);

  return async function updateRollups(job: Job): Promise<{ items: number; busy?: true }> {
    // BullMQ's global concurrency keeps drains serial in normal operation; the lease keeps them
    // serial even when a stalled job is handed to a second worker while the first still runs.
    if (!(await lease.acquire())) return { items: 0, busy: true };
    try {
      for (const leftover of await ops.find({}).sort({ createdAt: 1 }).toArray()) {
        deps.log.warn({ op: leftover._id }, "replaying an interrupted rollup operation");
        await applyOp(leftover);
      }
      let total = 0;
      for (;;) {
        if (!(await lease.renew())) throw new Error("rollup drain lease lost; another drain took over");
        const n = await drainOnce();
        if (n === 0) break;
        total += n;
        await job.updateProgress(total);
      }
      return { items: total };
    } finally {
      await lease.release();
    }
  };
}

/**
 * Ingestion rejects inconsistent timestamps, so this throws only for data written around it; one
 * such item must not block its batch forever: it counts nothing and is logged.
 */
function safeContributionsOf(doc: ItemDoc, deps: WorkerDeps): Contribution[] {
  try {
    return contributionsOf(doc as unknown as RollupItem);
  } catch (err) {
    deps.log.warn({ item: doc._id, err: (err as Error).message }, "item left out of rollups");
    return [];
  }
}

async function ignoringDuplicates(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (err) {
    // A duplicate key here means the bucket already carries this operation: replay skipped it.
    if (!(err instanceof MongoBulkWriteError)) throw err;
    const errors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
    if (errors.length === 0 || err.writeConcernError || errors.some((e) => e.code !== DUPLICATE_KEY)) throw err;
  }
}
