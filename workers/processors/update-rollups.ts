/**
 * Keeps the hourly rollup buckets equal to what a full recomputation from the stored items would
 * give, under at-least-once delivery. Each item records the contributions last applied for it
 * (`rollupApplied`); a drain diffs them with the item's current contributions and applies the
 * difference. To make that exact when a drain dies half way:
 *
 * 1. each item of the batch gets its new contributions as `rollupNext: {op, applied}`;
 * 2. an operation document naming the items (ids and dirty tokens only, so its size is bounded by
 *    the batch's ids whatever the items hold) is inserted in `rollup_ops`: the commit point;
 * 3. the increments, computed from each item's `rollupApplied` → `rollupNext`, are applied with a
 *    per-bucket guard (`lastOp != op`, then `lastOp = op`), and the operation is marked
 *    `rollupsApplied`;
 * 4. the items are stamped (`rollupApplied = rollupNext`) and the operation deleted.
 * A drain that starts replays any operation left behind before doing new work: it recomputes the
 * same increments from the same stored states, and the guard skips buckets already reached.
 *
 * The single `lastOp` guard is sufficient because a bucket is only ever touched by one drain at a
 * time. With PARTITIONS > 1 each partition has its own drain (its own queue with global
 * concurrency 1, its own lease) that takes only the items of its workspaces, writes operations
 * recording those workspaces and replays only its own operations. A bucket's `_id` starts with its
 * workspace (`rollupKeyOf`) and an item's increments go only to buckets of the item's workspace,
 * so every bucket belongs to exactly one partition: drains of different partitions run at the same
 * time without ever sharing a bucket, and within a partition drains stay serial.
 *
 * Nothing an item holds can stop the drain: an item whose contributions cannot be computed, or
 * whose `rollupNext` cannot be written, is quarantined (`rollupQuarantine: {reason, at}`, a log
 * line) and counts nothing; an operation that keeps failing on replay is given up after
 * MAX_OP_REPLAYS with its items quarantined, so other items and workspaces move on.
 */
import { MongoBulkWriteError, MongoNetworkError, MongoServerSelectionError, ObjectId, type AnyBulkWriteOperation, type Filter } from "mongodb";
import type { Job } from "bullmq";
import {
  addItemIncrements,
  contributionsOf,
  fullTupleOf,
  incrementBoundOf,
  monthIncrementsOf,
  type AppliedContributions,
  type Contribution,
  type MonthIncrement,
  type RollupIncrement,
} from "../../shared/domain/metrics";
import type { ItemDoc, ItemPipelineState, RollupDoc, RollupNext } from "../../shared/db/collections";
import { DUPLICATE_KEY } from "../../shared/errors";
import { leasesOf, makeLease, rollupDrainLeaseName } from "../../shared/db/lease";
import { assertRollupLayoutKnown } from "../../shared/db/rollup-layout";
import { partitionOf } from "../../shared/queues/partitions";
import type { WorkerDeps } from "../deps";

export const ROLLUP_BATCH = 1_000;
/** Increments per operation (bounds the drain's memory and bulk writes, not a document size). */
export const MAX_OP_INCREMENTS = 20_000;
/** Rollup updates per bulk write. */
const APPLY_CHUNK = 5_000;
/** A drain that stops renewing (killed) loses the lease after this. */
export const DRAIN_LEASE_MS = 60_000;
/** Replays of one operation that failed for a reason other than an unreachable database. */
export const MAX_OP_REPLAYS = 5;

export interface RollupOp {
  _id: string;
  createdAt: Date;
  /** each item's `rollupDirty` as the drain read it */
  items: { _id: string; token: ItemPipelineState["rollupDirty"] }[];
  /** set once every increment reached its bucket: a replay then only stamps the items */
  rollupsApplied?: true;
  /** failed attempts so far (unreachable database not counted) */
  failures?: number;
  lastError?: string;
  /** the workspaces of its items (one partition's); missing on operations from before partitions */
  workspaces?: string[];
}

/** Test hook: called between the steps of an operation so a test can "kill" the drain there. */
export type RollupFailpoint = (stage: "next-written" | "op-written" | "rollups-applied" | "items-stamped") => void | Promise<void>;

export interface DrainOptions {
  failpoint?: RollupFailpoint;
  /** the partition this drain serves (default 0) */
  partition?: number;
}

interface PlannedItem {
  doc: ItemDoc;
  applied: AppliedContributions;
  quarantine: string | null;
}

export function makeUpdateRollups(deps: WorkerDeps, opts: DrainOptions = {}) {
  const failpoint = opts.failpoint ?? (() => {});
  const partition = opts.partition ?? 0;
  const partitions = deps.config.PARTITIONS;
  const ops = deps.db.collection<RollupOp>("rollup_ops");
  const rollups = deps.cols.rollups;
  const items = deps.cols.items;

  async function activeScopesOf(workspaces: string[]): Promise<Map<string, Set<string>>> {
    const out = new Map(workspaces.map((w) => [w, new Set(["all"])]));
    const searches = await deps.db
      .collection("searches")
      .find({ workspace: { $in: workspaces }, deletedAt: { $exists: false } }, { projection: { _id: 1, workspace: 1 } })
      .toArray();
    for (const s of searches) out.get(s.workspace)?.add(String(s._id));
    return out;
  }

  /**
   * Each day document's increment, and each month document's (see month-rollups.ts), under the
   * same per-document guard: a replay recomputes both from the same stored states.
   */
  async function applyIncrements(opId: string, days: RollupIncrement[], months: MonthIncrement[]): Promise<void> {
    const guarded = (r: { _id: string; inc: Record<string, number> }, onInsert: Record<string, unknown>): AnyBulkWriteOperation<RollupDoc> => ({
      updateOne: {
        filter: { _id: r._id, lastOp: { $ne: opId } },
        update: { $inc: r.inc, $set: { lastOp: opId }, $setOnInsert: onInsert },
        upsert: true,
      },
    });
    const writes: AnyBulkWriteOperation<RollupDoc>[] = [
      ...days.map((r) => guarded(r, { workspace: r.workspace, scope: r.scope, family: r.family, day: r.day, cut: r.cut, dims: r.dims, tag: r.tag })),
      ...months.map((r) => guarded(r, { workspace: r.workspace, scope: r.scope, family: r.family, month: r.month, cut: r.cut, dims: r.dims, tag: null })),
    ];
    for (let i = 0; i < writes.length; i += APPLY_CHUNK) {
      await ignoringDuplicates(() => rollups.bulkWrite(writes.slice(i, i + APPLY_CHUNK), { ordered: false }));
    }
  }

  /**
   * Steps 3 and 4 of an operation whose items carry their `rollupNext`. `planned` are the active
   * scopes the drain planned it with, read a moment ago (a replay reads them again).
   */
  async function applyOp(op: RollupOp, planned?: Map<string, Set<string>>): Promise<void> {
    const ids = op.items.map((it) => it._id);
    const docs = await items
      .find<Pick<ItemDoc, "_id" | "workspace" | "rollupApplied" | "rollupNext">>(
        { _id: { $in: ids } },
        // one reply for the whole operation instead of a first batch of 101 and a getMore
        { projection: { _id: 1, workspace: 1, rollupApplied: 1, rollupNext: 1 }, batchSize: ids.length },
      )
      .toArray();
    const mine = docs.filter((d): d is typeof d & { rollupNext: RollupNext } => d.rollupNext?.op === op._id);
    if (!op.rollupsApplied) {
      const active = planned ?? (await activeScopesOf([...new Set(mine.map((d) => d.workspace))]));
      const updates = new Map<string, RollupIncrement>();
      for (const d of mine) {
        addItemIncrements(d.workspace, d.rollupApplied, d.rollupNext.applied, active.get(d.workspace)!, updates);
      }
      await applyIncrements(op._id, [...updates.values()], [...monthIncrementsOf(updates.values()).values()]);
      await failpoint("rollups-applied");
      await ops.updateOne({ _id: op._id }, { $set: { rollupsApplied: true } });
    }
    const stamps: AnyBulkWriteOperation<ItemDoc>[] = [];
    for (const d of mine) {
      stamps.push({
        updateOne: {
          filter: { _id: d._id, "rollupNext.op": op._id },
          update: { $set: { rollupApplied: d.rollupNext.applied }, $unset: { rollupNext: "" } },
        },
      });
    }
    // Still dirty if the item changed again after this drain read it (the token differs then).
    for (const it of op.items) {
      stamps.push({ updateOne: { filter: { _id: it._id, rollupDirty: it.token }, update: { $unset: { rollupDirty: "" } } } });
    }
    if (stamps.length) await items.bulkWrite(stamps, { ordered: true });
    await failpoint("items-stamped");
    await ops.deleteOne({ _id: op._id });
  }

  /** An operation left behind by a drain that died: replay it, or give up after MAX_OP_REPLAYS. */
  async function replay(op: RollupOp): Promise<void> {
    if ((op.failures ?? 0) >= MAX_OP_REPLAYS) return giveUp(op);
    deps.log.warn({ op: op._id, items: op.items.length }, "replaying an interrupted rollup operation");
    try {
      await applyOp(op);
    } catch (err) {
      if (!isUnreachable(err)) {
        await ops.updateOne({ _id: op._id }, { $inc: { failures: 1 }, $set: { lastError: (err as Error).message.slice(0, 500) } });
      }
      throw err;
    }
  }

  async function giveUp(op: RollupOp): Promise<void> {
    const reason = `rollup operation ${op._id} failed ${op.failures} times: ${op.lastError ?? "unknown error"}`;
    deps.log.error({ op: op._id, items: op.items.length, err: op.lastError }, "rollup operation given up; its items are quarantined");
    const at = deps.now();
    await items.bulkWrite(
      op.items.flatMap((it): AnyBulkWriteOperation<ItemDoc>[] => [
        { updateOne: { filter: { _id: it._id, "rollupNext.op": op._id }, update: { $set: { rollupQuarantine: { reason, at } }, $unset: { rollupNext: "" } } } },
        { updateOne: { filter: { _id: it._id, rollupDirty: it.token }, update: { $unset: { rollupDirty: "" } } } },
      ]),
      { ordered: true },
    );
    await ops.deleteOne({ _id: op._id });
  }

  /** Picks the items of the next operation: at least one, then until MAX_OP_INCREMENTS. */
  function plan(docs: ItemDoc[], active: Map<string, Set<string>>): PlannedItem[] {
    const out: PlannedItem[] = [];
    let bound = 0;
    for (const doc of docs) {
      const scopes = active.get(doc.workspace)!;
      let own: Contribution[] = [];
      let quarantine: string | null = null;
      try {
        own = fullTupleOf(contributionsOf(doc));
      } catch (err) {
        // Ingestion rejects what makes this throw; an item written around it counts nothing.
        quarantine = `contributions: ${(err as Error).message}`;
      }
      const applied = {
        scopes: ["all", ...(doc.searchIds ?? [])].filter((s) => scopes.has(s)),
        own,
      };
      const cost = incrementBoundOf(doc.rollupApplied, applied);
      if (out.length > 0 && bound + cost > MAX_OP_INCREMENTS) break;
      bound += cost;
      out.push({ doc, applied, quarantine });
    }
    return out;
  }

  /** Step 1: returns the items whose `rollupNext` was written; the others are quarantined. */
  async function writeNext(opId: string, planned: PlannedItem[]): Promise<PlannedItem[]> {
    const at = deps.now();
    const writes: AnyBulkWriteOperation<ItemDoc>[] = planned.map((p) => ({
      updateOne: {
        filter: { _id: p.doc._id },
        update: p.quarantine
          ? { $set: { rollupNext: { op: opId, applied: p.applied }, rollupQuarantine: { reason: p.quarantine, at } } }
          : { $set: { rollupNext: { op: opId, applied: p.applied } }, $unset: { rollupQuarantine: "" } },
      },
    }));
    let failed = new Map<number, string>();
    try {
      await items.bulkWrite(writes, { ordered: false });
    } catch (err) {
      if (!(err instanceof MongoBulkWriteError) || err.writeConcernError) throw err;
      const errors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
      if (errors.length === 0) throw err;
      failed = new Map(errors.map((e) => [e.index, e.errmsg ?? `code ${e.code}`]));
    }
    for (const [i, msg] of failed) await quarantineUnwritable(planned[i]!, msg, at);
    for (const p of planned) {
      if (p.quarantine) deps.log.warn({ item: p.doc._id, reason: p.quarantine }, "item quarantined: it counts nothing in the rollups");
    }
    return planned.filter((_, i) => !failed.has(i));
  }

  /** The item cannot take its `rollupNext` (e.g. the document would grow past MongoDB's limit). */
  async function quarantineUnwritable(p: PlannedItem, msg: string, at: Date): Promise<void> {
    const reason = `could not record rollup state: ${msg.slice(0, 300)}`;
    deps.log.error({ item: p.doc._id, reason }, "item quarantined: it counts nothing in the rollups");
    await items.updateOne(
      { _id: p.doc._id, rollupDirty: p.doc.rollupDirty },
      { $set: { rollupQuarantine: { reason, at } }, $unset: { rollupDirty: "" } },
    );
  }

  /** The dirty items this drain may take: all of them, or those of its partition's workspaces. */
  async function dirtyFilter(): Promise<Filter<ItemDoc>> {
    const dirty = { rollupDirty: { $exists: true } };
    if (partitions <= 1) return dirty;
    const workspaces = (await items.distinct("workspace", dirty)) as string[];
    return { ...dirty, workspace: { $in: workspaces.filter((w) => partitionOf(w, partitions) === partition) } };
  }

  /** Operations left behind (or in progress) that belong to this drain's partition, oldest first. */
  async function ownOps(): Promise<RollupOp[]> {
    const all = await ops.find({}).sort({ createdAt: 1 }).toArray();
    if (partitions <= 1) return all;
    const mine: RollupOp[] = [];
    for (const op of all) {
      const workspaces =
        op.workspaces ??
        ((await items.distinct("workspace", { _id: { $in: op.items.map((it) => it._id) } })) as string[]);
      if (workspaces.some((w) => partitionOf(w, partitions) === partition)) mine.push(op);
    }
    return mine;
  }

  /** One batch of dirty items; returns how many it handled (0 = nothing left). */
  async function drainOnce(): Promise<number> {
    // Newest first (the partial index {at: -1}): see INDEXES.items in shared/db/collections.ts.
    const docs = await items.find(await dirtyFilter(), { batchSize: ROLLUP_BATCH }).sort({ at: -1 }).limit(ROLLUP_BATCH).toArray();
    if (docs.length === 0) return 0;
    const active = await activeScopesOf([...new Set(docs.map((d) => d.workspace))]);
    const planned = plan(docs, active);
    const opId = new ObjectId().toHexString();
    const written = await writeNext(opId, planned);
    await failpoint("next-written");
    if (written.length > 0) {
      const op: RollupOp = {
        _id: opId,
        createdAt: deps.now(),
        items: written.map((p) => ({ _id: p.doc._id, token: p.doc.rollupDirty })),
        workspaces: [...new Set(written.map((p) => p.doc.workspace))],
      };
      await ops.insertOne(op);
      await failpoint("op-written");
      await applyOp(op, active);
    }
    return planned.length;
  }

  const lease = makeLease(leasesOf(deps.db), rollupDrainLeaseName(partition, partitions), DRAIN_LEASE_MS, deps.now);

  return async function updateRollups(job: Job): Promise<{ items: number; busy?: true }> {
    // BullMQ's global concurrency keeps a partition's drains serial in normal operation; the lease
    // keeps them serial even when a stalled job is handed to a second worker while the first runs.
    if (!(await lease.acquire())) return { items: 0, busy: true };
    try {
      // a worker left running through an upgrade fails here (the job retries) and counts nothing
      await assertRollupLayoutKnown(deps.db);
      for (const leftover of await ownOps()) await replay(leftover);
      let total = 0;
      for (;;) {
        // Counted from the acquire, so replays that take long count too; it still has most of
        // DRAIN_LEASE_MS left whenever an operation starts.
        if (!(await lease.renewIfDue())) throw new Error("rollup drain lease lost; another drain took over");
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

/** The database could not be reached: not the operation's fault, so not counted against it. */
function isUnreachable(err: unknown): boolean {
  return err instanceof MongoNetworkError || err instanceof MongoServerSelectionError;
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
