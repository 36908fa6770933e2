/**
 * Month rollup documents: the drain keeps them with the day documents, a year-by-day trend reads
 * them instead of one document per day, and the migration builds them from the day documents of a
 * database drained before they existed — waiting for a running drain, and giving the same answers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureIndexes } from "../../../shared/db/collections";
import { leasesOf } from "../../../shared/db/lease";
import { runMigrations } from "../../../shared/db/migrations";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";
import { recomputedRollups, storedRollups } from "../../support/trends-helpers";
import { makeTestWorkers } from "../../support/workers";

let t: TestApi;
beforeAll(async () => {
  t = await makeTestApi();
});
afterAll(async () => t?.close());

const H = 3_600_000;
const T0 = Date.parse("2026-01-25T00:00:00Z");
const CHANNELS = ["email", "chat", "phone"];
const iso = (ms: number) => new Date(ms).toISOString();
const RANGE = "from=2026-01-01T00:00:00Z&to=2026-05-01T00:00:00Z&interval=day&tz=Europe/Amsterdam&groupBy=channel";

/** Tickets every 31 hours over about three months; two in three solved, some in one touch. */
function tickets(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const created = T0 + i * 31 * H;
    const solved = i % 3 !== 0;
    return {
      source: "api", externalId: `M-${i}`, channel: CHANNELS[i % 3], status: solved ? "solved" : "open", subject: "Refund",
      createdAt: iso(created), updatedAt: iso(created + 5 * H),
      ...(solved ? { firstResponseAt: iso(created + H), resolvedAt: iso(created + 5 * H), agentReplies: 1 + (i % 2) } : {}),
    };
  });
}

describe("month rollup documents", () => {
  it("are kept by the drain, read by a long trend, and rebuilt exactly by the migration after a running drain", async () => {
    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["ingest", "read"]);
    const res = await t.app.inject({ method: "POST", url: "/v1/tickets", headers: { authorization: auth }, payload: { items: tickets(70) } });
    expect(res.statusCode, res.body).toBe(202);
    await makeTestWorkers(t.config, t.mongo, t.queues).settle(ws);

    const months = () => t.mongo.db.collection("rollups").find({ workspace: ws, month: { $exists: true } }).toArray();
    expect((await months()).map((d) => d.month).sort()).toEqual(expect.arrayContaining(["2026-01", "2026-02", "2026-03", "2026-04"]));
    expect(await storedRollups(t.mongo, ws)).toEqual(await recomputedRollups(t.mongo, ws));

    // A trend over four months reads month documents: a handful, not one per day and channel.
    const trend = async (metric: string) => {
      const r = await t.app.inject({ method: "GET", url: `/v1/trends/${metric}?${RANGE}`, headers: { authorization: auth } });
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    };
    const before = { volume: await trend("volume"), fcr: await trend("fcr") };
    expect(before.volume.groups.map((g: { total: { n: number } }) => g.total.n).reduce((a: number, b: number) => a + b, 0)).toBe(70);
    const days = await t.mongo.cols.rollups.countDocuments({ workspace: ws, scope: "all", family: "tickets_created", cut: "channel", day: { $exists: true } });
    const monthDocs = (await months()).filter((d) => d.family === "tickets_created" && d.cut === "channel").length;
    expect(days).toBeGreaterThan(60);
    expect(monthDocs).toBeLessThanOrEqual(12);

    // A database drained before month documents existed: none of them, the migration not done.
    await t.mongo.db.collection("rollups").deleteMany({ workspace: ws, month: { $exists: true } });
    await t.mongo.db.collection("migrations").deleteOne({ _id: "2027-02-rollup-months" } as never);
    // (the trend was read from the month documents: without them it has nothing)
    expect((await trend("volume")).groups).toEqual([]);
    // ... and a drain still running in another process: the migration waits for its lease.
    await leasesOf(t.mongo.db).insertOne({ _id: "rollup-drain", holder: "another-process", until: new Date(Date.now() + H) });
    const waits: unknown[] = [];
    const migrating = runMigrations(t.mongo.db, { info: (o: unknown) => waits.push(o) });
    await new Promise((r) => setTimeout(r, 400));
    expect(await months()).toEqual([]);
    expect(waits.length).toBeGreaterThan(0);
    await leasesOf(t.mongo.db).deleteOne({ _id: "rollup-drain" });
    await migrating;

    expect(await storedRollups(t.mongo, ws)).toEqual(await recomputedRollups(t.mongo, ws));
    expect({ volume: await trend("volume"), fcr: await trend("fcr") }).toEqual(before);
    // the lease is free again for the drain
    expect(await leasesOf(t.mongo.db).countDocuments({})).toBe(0);
  });

  it("replaces the dirty-items index of earlier versions with the newest-first one at start", async () => {
    await t.mongo.cols.items.createIndex({ rollupDirty: 1 }, { name: "rollup_dirty", partialFilterExpression: { rollupDirty: { $exists: true } } });
    await ensureIndexes(t.mongo.db);
    const names = (await t.mongo.cols.items.listIndexes().toArray()).map((ix) => ix.name);
    expect(names).toContain("rollup_dirty_at");
    expect(names).not.toContain("rollup_dirty");
    // and again: nothing left to drop
    await ensureIndexes(t.mongo.db);
  });

  it("replaces the rollups' {…, cut, day} index of earlier versions with the one that has the tag before the day", async () => {
    await t.mongo.cols.rollups.createIndex({ workspace: 1, scope: 1, family: 1, cut: 1, day: 1 }, { name: "workspace_scope_family_cut_day" });
    await ensureIndexes(t.mongo.db);
    const names = (await t.mongo.cols.rollups.listIndexes().toArray()).map((ix) => ix.name);
    expect(names).toContain("workspace_scope_family_cut_tag_day");
    expect(names).not.toContain("workspace_scope_family_cut_day");
  });
});
