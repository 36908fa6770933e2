/**
 * Day totals (shared/domain/metrics/day-totals.ts): the drain keeps them beside the hours, trends
 * read them instead of every hour, and the migration gives them to rollups drained before they
 * existed, exactly, after a running drain.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
const T0 = Date.parse("2026-02-01T00:00:00Z");
const CHANNELS = ["email", "chat", "phone"];
const iso = (ms: number) => new Date(ms).toISOString();
// Amsterdam days split UTC days at 22:00 or 23:00 (DST changes on 29 March); the range starts and
// ends inside UTC days.
const RANGES = [
  "from=2026-02-09T23:00:00Z&to=2026-04-06T22:00:00Z&interval=day&tz=Europe/Amsterdam&groupBy=channel",
  "from=2026-02-09T00:00:00Z&to=2026-04-06T00:00:00Z&interval=week&tz=UTC",
];

/** Tickets every 7 hours over two months; most solved, resolution times from minutes to days. */
function tickets(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const created = T0 + i * 7 * H;
    const solved = i % 4 !== 0;
    const resolved = created + ((i * 37) % 90) * H + 60_000;
    return {
      source: "api", externalId: `D-${i}`, channel: CHANNELS[i % 3], status: solved ? "solved" : "open", subject: "Refund",
      createdAt: iso(created), updatedAt: iso(solved ? resolved : created + H),
      ...(solved ? { firstResponseAt: iso(created + ((i % 5) + 1) * 600_000), resolvedAt: iso(resolved), agentReplies: 1 + (i % 2) } : {}),
    };
  });
}

describe("day totals", () => {
  it("are kept by the drain, answer trends like every hour, and are rebuilt exactly by the migration", async () => {
    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["ingest", "read"]);
    const res = await t.app.inject({ method: "POST", url: "/v1/tickets", headers: { authorization: auth }, payload: { items: tickets(220) } });
    expect(res.statusCode, res.body).toBe(202);
    await makeTestWorkers(t.config, t.mongo, t.queues).settle(ws);
    const rollups = t.mongo.db.collection("rollups");
    expect(await rollups.countDocuments({ workspace: ws, day: { $exists: true }, cut: { $ne: "5m" }, d: { $exists: false } })).toBe(0);
    expect(await storedRollups(t.mongo, ws)).toEqual(await recomputedRollups(t.mongo, ws));

    const trends = async () => {
      const out: unknown[] = [];
      for (const range of RANGES) {
        for (const metric of ["resolution-time", "first-response-time", "handle-time", "volume"]) {
          const r = await t.app.inject({ method: "GET", url: `/v1/trends/${metric}?${range}`, headers: { authorization: auth } });
          expect(r.statusCode, r.body).toBe(200);
          out.push(r.json());
        }
      }
      return out;
    };
    const byTotals = await trends();
    const resolution = byTotals[0] as { groups: { total: { n: number; parts: { median: number | null } } }[] };
    expect(resolution.groups.reduce((n, g) => n + g.total.n, 0)).toBeGreaterThan(100);
    expect(resolution.groups.every((g) => g.total.parts.median !== null)).toBe(true);

    // Rollups drained before day totals existed: no `d`, the migration not done. Trends read
    // every hour of them meanwhile, with the same answers.
    await rollups.updateMany({ workspace: ws }, { $unset: { d: "" } });
    await t.mongo.db.collection("migrations").deleteOne({ _id: "2027-03-rollup-day-totals" } as never);
    expect(await trends()).toEqual(byTotals);
    // A drain of this version before the migration ran: that document's `d` holds only what it drained.
    const some = await rollups.findOne({ workspace: ws, family: "tickets_resolved", cut: "channel", day: { $exists: true } });
    await rollups.updateOne({ _id: some!._id }, { $inc: { "d.n": 1 } });

    // ... and a drain still running in another process: the migration waits for its lease.
    await leasesOf(t.mongo.db).insertOne({ _id: "rollup-drain", holder: "another-process", until: new Date(Date.now() + H) });
    const waits: unknown[] = [];
    const migrating = runMigrations(t.mongo.db, { info: (o: unknown) => waits.push(o) });
    await new Promise((r) => setTimeout(r, 400));
    expect(await rollups.countDocuments({ workspace: ws, d: { $exists: true } })).toBe(1);
    expect(waits.length).toBeGreaterThan(0);
    await leasesOf(t.mongo.db).deleteOne({ _id: "rollup-drain" });
    await migrating;

    expect(await storedRollups(t.mongo, ws)).toEqual(await recomputedRollups(t.mongo, ws));
    expect(await trends()).toEqual(byTotals);
    expect(await leasesOf(t.mongo.db).countDocuments({})).toBe(0);
  });
});
