/**
 * With PARTITIONS=4, each workspace's work goes to the queues of its partition, and rollup drains
 * of different partitions run at the same time: a drain held half way through its write-ahead
 * operation (a failpoint that waits) does not stop another partition's drain from running start
 * to finish, while a second drain of the held partition is refused by its lease. Neither drain
 * touches the other's operation, and every workspace's rollups equal a full recomputation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { partitionOf } from "../../../shared/queues/partitions";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";
import { recomputedRollups, storedRollups } from "../../support/trends-helpers";
import { makeTestWorkers } from "../../support/workers";
import type { RollupOp } from "../../../workers/processors/update-rollups";

const PARTITIONS = 4;
let t: TestApi;
beforeAll(async () => {
  t = await makeTestApi({ PARTITIONS: String(PARTITIONS) });
});
afterAll(async () => t?.close());

const H = 3_600_000;
const T0 = Date.parse("2026-03-02T08:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

function ticket(i: number) {
  const created = T0 + (i % 30) * H;
  return {
    source: "api", externalId: `T-${i}`, channel: i % 2 ? "email" : "chat", status: i % 3 ? "solved" : "open",
    subject: "Refund", body: `Still waiting for my refund, order ${i}`, tags: [`tag-${i % 5}`],
    createdAt: iso(created), updatedAt: iso(created + H), ...(i % 3 ? { resolvedAt: iso(created + H) } : {}),
  };
}

async function ingest(ws: string, items: unknown[]): Promise<void> {
  const auth = await t.bearer(ws, ["ingest"]);
  const res = await t.app.inject({ method: "POST", url: "/v1/tickets", headers: { authorization: auth }, payload: { items } });
  expect(res.statusCode, res.body).toBe(202);
  expect(res.json().rejected, res.body).toBe(0);
}

/** Two fresh workspaces that hash to different partitions. */
function workspacesInTwoPartitions(): { a: string; b: string; pa: number; pb: number } {
  const a = randomId("ws");
  const pa = partitionOf(a, PARTITIONS);
  for (;;) {
    const b = randomId("ws");
    const pb = partitionOf(b, PARTITIONS);
    if (pb !== pa) return { a, b, pa, pb };
  }
}

/** A failpoint that holds the drain at `stage` until released, and says when it got there. */
function gate(stage: string) {
  let reached!: () => void;
  let release!: () => void;
  const reachedP = new Promise<void>((r) => (reached = r));
  const releaseP = new Promise<void>((r) => (release = r));
  return {
    reached: reachedP,
    release,
    failpoint: async (s: string) => {
      if (s !== stage) return;
      reached();
      await releaseP;
    },
  };
}

const dirtyCount = (ws: string) => t.mongo.cols.items.countDocuments({ workspace: ws, rollupDirty: { $exists: true } });
const ops = () => t.mongo.db.collection<RollupOp>("rollup_ops");

describe("partitioned work", () => {
  it("enqueues each workspace's items on its own partition's queue only", async () => {
    const { a, b, pa, pb } = workspacesInTwoPartitions();
    await ingest(a, Array.from({ length: 20 }, (_, i) => ticket(i)));
    await ingest(b, Array.from({ length: 20 }, (_, i) => ticket(i)));
    const jobsOf = async (p: number) =>
      (await t.queues.partitions[p]!.enrichItems.getJobs(["waiting", "delayed", "active"])).map((j) => j.data.workspace as string);
    for (let p = 0; p < PARTITIONS; p++) {
      const workspaces = await jobsOf(p);
      expect(workspaces.includes(a), `partition ${p} holds ${a}`).toBe(p === pa);
      expect(workspaces.includes(b), `partition ${p} holds ${b}`).toBe(p === pb);
    }
  });

  it("runs two partitions' drains at the same time and keeps both exact", async () => {
    const { a, b, pa, pb } = workspacesInTwoPartitions();
    await ingest(a, Array.from({ length: 300 }, (_, i) => ticket(i)));
    await ingest(b, Array.from({ length: 300 }, (_, i) => ticket(1_000 + i)));

    const held = gate("rollups-applied");
    const wa = makeTestWorkers(t.config, t.mongo, t.queues, { partition: pa, failpoint: held.failpoint });
    const wb = makeTestWorkers(t.config, t.mongo, t.queues, { partition: pb });
    await wa.enrichPending(a);
    await wb.enrichPending(b);
    expect(await dirtyCount(a)).toBe(300);
    expect(await dirtyCount(b)).toBe(300);

    // Partition A's drain stops after its increments reached the buckets, before it stamps its items.
    let aFinished = false;
    const drainA = wa.drainRollups().then((r) => ((aFinished = true), r));
    await held.reached;
    const [opA] = await ops().find({ workspaces: a }).toArray();
    expect(opA, "partition A's operation is in progress").toBeDefined();

    // Meanwhile partition B's drain runs from start to finish ...
    const resultB = await wb.drainRollups();
    expect(resultB).toEqual({ items: 300 });
    expect(aFinished, "partition A's drain is still held").toBe(false);
    expect(await dirtyCount(b)).toBe(0);
    expect(await storedRollups(t.mongo, b)).toEqual(await recomputedRollups(t.mongo, b));
    // ... without touching partition A's operation or items,
    expect(await ops().findOne({ _id: opA!._id })).toMatchObject({ _id: opA!._id });
    expect(await dirtyCount(a)).toBe(300);
    // and a second drain of partition A is refused: within a partition drains stay serial.
    const secondA = makeTestWorkers(t.config, t.mongo, t.queues, { partition: pa });
    expect(await secondA.drainRollups()).toEqual({ items: 0, busy: true });

    held.release();
    expect(await drainA).toEqual({ items: 300 });
    expect(await dirtyCount(a)).toBe(0);
    expect(await ops().countDocuments({ workspaces: { $in: [a, b] } })).toBe(0);
    expect(await storedRollups(t.mongo, a)).toEqual(await recomputedRollups(t.mongo, a));
    expect(Object.keys(await storedRollups(t.mongo, a)).length).toBeGreaterThan(0);
  });

  it("a killed drain's operation is replayed by its own partition only, exactly", async () => {
    const { a, b, pa, pb } = workspacesInTwoPartitions();
    await ingest(a, Array.from({ length: 120 }, (_, i) => ticket(i)));
    await ingest(b, Array.from({ length: 120 }, (_, i) => ticket(i)));
    const killA = makeTestWorkers(t.config, t.mongo, t.queues, {
      partition: pa,
      failpoint: (stage) => {
        if (stage === "rollups-applied") throw new Error("killed");
      },
    });
    const wa = makeTestWorkers(t.config, t.mongo, t.queues, { partition: pa });
    const wb = makeTestWorkers(t.config, t.mongo, t.queues, { partition: pb });
    await wa.enrichPending(a);
    await wb.enrichPending(b);

    await expect(killA.drainRollups()).rejects.toThrow("killed");
    const left = await ops().find({ workspaces: a }).toArray();
    expect(left).toHaveLength(1);
    // B's drain leaves A's leftover operation alone (replaying it there could race A's own drain).
    await wb.drainRollups();
    expect(await ops().countDocuments({ _id: left[0]!._id })).toBe(1);
    // A's next drain replays it: its increments already reached the buckets and are not counted twice.
    await wa.drainRollups();
    expect(await ops().countDocuments({ workspaces: { $in: [a, b] } })).toBe(0);
    for (const ws of [a, b]) expect(await storedRollups(t.mongo, ws), ws).toEqual(await recomputedRollups(t.mongo, ws));
  });

  it("finds the workspaces with dirty items from an index, reading one item per workspace, whatever the backlog", async () => {
    const { a, b } = workspacesInTwoPartitions();
    await ingest(a, Array.from({ length: 150 }, (_, i) => ticket(i)));
    await ingest(b, Array.from({ length: 150 }, (_, i) => ticket(i)));
    const w = makeTestWorkers(t.config, t.mongo, t.queues);
    await w.enrichPending(a);
    await w.enrichPending(b);
    expect(await dirtyCount(a)).toBe(150);
    const scanned = async () => Number((await t.mongo.client.db("admin").command({ serverStatus: 1 })).metrics.queryExecutor.scannedObjects);
    const before = await scanned();
    // the drains' and the sweeper's question (update-rollups.ts dirtyFilter, sweep-pending.ts)
    const workspaces = (await t.mongo.cols.items.distinct("workspace", { rollupDirty: { $exists: true } })) as string[];
    expect(workspaces).toEqual(expect.arrayContaining([a, b]));
    expect((await scanned()) - before).toBe(workspaces.length);
  });
});
