/**
 * The rollup drain's write-ahead work stays bounded whatever the items hold: batches of richly
 * tagged tickets matching many saved searches drain completely, the operation documents stay far
 * below MongoDB's 16 MiB document limit, the rollups stay exact per scope, and an item that cannot
 * be counted is quarantined instead of blocking the others.
 */
import { calculateObjectSize } from "bson";
import { ObjectId } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ItemDoc } from "../../../shared/db/collections";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";
import { recomputedRollups, storedRollups } from "../../support/trends-helpers";
import { makeTestWorkers } from "../../support/workers";
import { MAX_OP_REPLAYS } from "../../../workers/processors/update-rollups";

let t: TestApi;
beforeAll(async () => {
  t = await makeTestApi();
});
afterAll(async () => t?.close());

const H = 3_600_000;
const T0 = Date.parse("2026-03-02T08:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

function solvedTicket(i: number, tags: string[]) {
  const created = T0 + (i % 48) * H;
  return {
    source: "api", externalId: `T-${i}`, channel: "email", status: "solved",
    subject: "Refund", body: "Still waiting for my refund", tags, customer: { segment: "smb", plan: "pro", region: "EU" },
    createdAt: iso(created), firstResponseAt: iso(created + H / 2), resolvedAt: iso(created + 3 * H),
    updatedAt: iso(created + 3 * H), agentReplies: 1,
  };
}

async function ingest(ws: string, items: unknown[]): Promise<void> {
  const auth = await t.bearer(ws, ["ingest"]);
  const res = await t.app.inject({ method: "POST", url: "/v1/tickets", headers: { authorization: auth }, payload: { items } });
  expect(res.statusCode, res.body).toBe(202);
  expect(res.json().rejected, res.body).toBe(0);
}

/**
 * Drains until nothing is dirty, stopping each drain right after its operation document is written
 * (the next drain replays it), so every operation document can be measured.
 */
async function drainMeasuringOps(w: ReturnType<typeof makeTestWorkers>, ws: string, measure: () => Promise<void>) {
  for (let round = 0; round < 10_000; round++) {
    try {
      await w.drainRollups();
    } catch (err) {
      if ((err as Error).message !== "stop") throw err;
    }
    await measure();
    const dirty = await t.mongo.cols.items.countDocuments({ workspace: ws, rollupDirty: { $exists: true } });
    const ops = await t.mongo.db.collection("rollup_ops").countDocuments({});
    if (dirty === 0 && ops === 0) return round;
  }
  throw new Error("the drain did not finish");
}

function opSizeRecorder() {
  const sizes: number[] = [];
  return {
    sizes,
    async measure() {
      for (const op of await t.mongo.db.collection("rollup_ops").find({}).toArray()) sizes.push(calculateObjectSize(op));
    },
  };
}

describe("rollup drain with bounded write-ahead work", () => {
  it("drains 1,000 solved tickets with 16 tags each in one batch; operation documents stay small", async () => {
    const ws = randomId("ws");
    const tags = Array.from({ length: 16 }, (_, k) => `tag-${k}`);
    await ingest(ws, Array.from({ length: 1_000 }, (_, i) => solvedTicket(i, tags)));
    const ops = opSizeRecorder();
    const w = makeTestWorkers(t.config, t.mongo, t.queues, { failpoint: (stage) => { if (stage === "op-written") throw new Error("stop"); } });
    await w.enrichPending(ws);
    await drainMeasuringOps(w, ws, ops.measure);

    expect(ops.sizes.length).toBeGreaterThan(0);
    expect(Math.max(...ops.sizes)).toBeLessThan(1024 * 1024);
    expect(await storedRollups(t.mongo, ws)).toEqual(await recomputedRollups(t.mongo, ws));
    const vol = await t.app.inject({
      method: "GET", url: "/v1/trends/volume?from=2026-03-01T00:00:00Z&to=2026-03-08T00:00:00Z&interval=week&groupBy=tag",
      headers: { authorization: await t.bearer(ws, ["read"]) },
    });
    expect(vol.statusCode, vol.body).toBe(200);
    const groups = vol.json().groups as { key: Record<string, string>; total: { n: number } }[];
    expect(groups.filter((g) => g.total.n === 1_000).length).toBe(16);
  }, 120_000);

  it("drains tickets with 100 tags matching 50 saved searches in one batch, exact in every scope", async () => {
    const ws = randomId("ws");
    const searchIds = Array.from({ length: 50 }, () => new ObjectId());
    await t.mongo.db.collection("searches").insertMany(
      searchIds.map((_id, k) => ({ _id, workspace: ws, name: `s${k}`, query: "refund", revision: 1, createdAt: new Date() })),
    );
    const tags = Array.from({ length: 100 }, (_, k) => `tag-${k}`);
    await ingest(ws, Array.from({ length: 6 }, (_, i) => solvedTicket(i, tags)));
    const ops = opSizeRecorder();
    const w = makeTestWorkers(t.config, t.mongo, t.queues, {
      searches: { matchIds: async () => searchIds.map(String) },
      failpoint: (stage) => { if (stage === "op-written") throw new Error("stop"); },
    });
    await w.enrichPending(ws);
    await drainMeasuringOps(w, ws, ops.measure);

    expect(Math.max(...ops.sizes)).toBeLessThan(1024 * 1024);
    // the rollupApplied record stores the contributions once, not once per scope
    const item = (await t.mongo.cols.items.findOne({ workspace: ws }))!;
    expect(calculateObjectSize(item)).toBeLessThan(1024 * 1024);
    expect(await storedRollups(t.mongo, ws)).toEqual(await recomputedRollups(t.mongo, ws));
    for (const id of [searchIds[0]!, searchIds[49]!].map(String)) {
      const stored = await storedRollups(t.mongo, ws, id);
      expect(Object.keys(stored).length).toBeGreaterThan(100);
      expect(stored).toEqual(await recomputedRollups(t.mongo, ws, id));
    }
  }, 120_000);

  it("quarantines an item whose contributions cannot be computed, and drains the rest", async () => {
    const ws = randomId("ws");
    await ingest(ws, Array.from({ length: 20 }, (_, i) => solvedTicket(i, ["refund"])));
    const w = makeTestWorkers(t.config, t.mongo, t.queues);
    await w.enrichPending(ws);
    // Written around validation (an older version of the app, a manual edit): resolved before created.
    const bad = (await t.mongo.cols.items.findOne({ workspace: ws, externalId: "T-3" })) as ItemDoc;
    await t.mongo.cols.items.updateOne({ _id: bad._id }, { $set: { resolvedAt: new Date(T0 - 10 * H) } });
    await w.drainRollups();

    expect(await t.mongo.cols.items.countDocuments({ workspace: ws, rollupDirty: { $exists: true } })).toBe(0);
    const quarantined = await t.mongo.cols.items.find({ workspace: ws, rollupQuarantine: { $exists: true } }).toArray();
    expect(quarantined.map((d) => d._id)).toEqual([bad._id]);
    expect((quarantined[0]!.rollupQuarantine as { reason: string }).reason).toMatch(/resolvedAt is before createdAt/);
    const listed = await t.app.inject({ method: "GET", url: "/v1/workspace", headers: { authorization: await t.bearer(ws, ["read"]) } });
    expect(listed.json().quarantined).toMatchObject({ count: 1, items: [{ id: bad._id, reason: expect.stringMatching(/resolvedAt/) }] });
    const vol = await t.app.inject({
      method: "GET", url: "/v1/trends/volume?from=2026-03-01T00:00:00Z&to=2026-03-08T00:00:00Z&interval=week",
      headers: { authorization: await t.bearer(ws, ["read"]) },
    });
    expect(vol.json().groups[0].total.n).toBe(19);

    // A corrected version drains normally and leaves quarantine.
    await t.mongo.cols.items.updateOne({ _id: bad._id }, { $set: { resolvedAt: new Date(T0 + 50 * H), rollupDirty: "fixed" } });
    await w.drainRollups();
    expect(await t.mongo.cols.items.countDocuments({ workspace: ws, rollupQuarantine: { $exists: true } })).toBe(0);
    const again = await t.app.inject({
      method: "GET", url: "/v1/trends/volume?from=2026-03-01T00:00:00Z&to=2026-03-08T00:00:00Z&interval=week",
      headers: { authorization: await t.bearer(ws, ["read"]) },
    });
    expect(again.json().groups[0].total.n).toBe(20);
  }, 60_000);

  it("gives up an operation that keeps failing, quarantines its items, and other workspaces' items drain", async () => {
    const wsA = randomId("ws");
    const wsB = randomId("ws");
    await ingest(wsA, Array.from({ length: 5 }, (_, i) => solvedTicket(i, ["refund"])));
    // The first attempt and its MAX_OP_REPLAYS replays fail; anything after that succeeds.
    let reached = 0;
    const w = makeTestWorkers(t.config, t.mongo, t.queues, {
      failpoint: (stage) => { if (stage === "rollups-applied" && ++reached <= 1 + MAX_OP_REPLAYS) throw new Error("bucket write refused"); },
    });
    await w.enrichPending(wsA);
    await expect(w.drainRollups()).rejects.toThrow("bucket write refused");
    await ingest(wsB, Array.from({ length: 5 }, (_, i) => solvedTicket(i, ["login"])));
    await w.enrichPending(wsB);
    let failures = 0;
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        await w.drainRollups();
        break;
      } catch {
        failures++;
      }
    }
    expect(failures).toBe(MAX_OP_REPLAYS);
    expect(await t.mongo.db.collection("rollup_ops").countDocuments({})).toBe(0);
    expect(await t.mongo.cols.items.countDocuments({ workspace: { $in: [wsA, wsB] }, rollupDirty: { $exists: true } })).toBe(0);
    const quarantined = await t.mongo.cols.items.find({ workspace: wsA, rollupQuarantine: { $exists: true } }).toArray();
    expect(quarantined).toHaveLength(5);
    expect((quarantined[0]!.rollupQuarantine as { reason: string }).reason).toMatch(/failed 5 times: bucket write refused/);
    expect(await t.mongo.cols.items.countDocuments({ workspace: wsB, rollupQuarantine: { $exists: true } })).toBe(0);
    expect(await storedRollups(t.mongo, wsB)).toEqual(await recomputedRollups(t.mongo, wsB));
  }, 60_000);
});
