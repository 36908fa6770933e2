/**
 * A drain of an older version left running through an upgrade must not write into rollups a newer
 * version has migrated: migrations record the rollup layout, and a drain that does not know it
 * counts nothing (its items stay dirty for the new workers).
 */
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMigrations } from "../../../shared/db/migrations";
import { ROLLUP_LAYOUT } from "../../../shared/db/rollup-layout";
import type { WorkerDeps } from "../../../workers/deps";
import { makeUpdateRollups } from "../../../workers/processors/update-rollups";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";
import { recomputedRollups, storedRollups } from "../../support/trends-helpers";
import { fakeJob, makeTestWorkers, testPublisher } from "../../support/workers";

let t: TestApi;
beforeAll(async () => {
  t = await makeTestApi();
});
afterAll(async () => t?.close());

describe("rollup layout", () => {
  it("is recorded by the migrations, and a drain that does not know the recorded one counts nothing", async () => {
    await runMigrations(t.mongo.db, { info: () => {} });
    const migrations = t.mongo.db.collection<{ _id: string; version: number }>("migrations");
    expect(await migrations.findOne({ _id: "rollup-layout" })).toMatchObject({ version: ROLLUP_LAYOUT });

    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["ingest"]);
    const items = Array.from({ length: 30 }, (_, i) => ({
      source: "api", externalId: `L-${i}`, channel: "email", status: "open", subject: "Refund",
      createdAt: new Date(Date.UTC(2026, 2, 2, i % 24)).toISOString(), agentReplies: 0,
    }));
    const res = await t.app.inject({ method: "POST", url: "/v1/tickets", headers: { authorization: auth }, payload: { items } });
    expect(res.statusCode, res.body).toBe(202);
    await makeTestWorkers(t.config, t.mongo, t.queues).enrichPending(ws);

    const deps: WorkerDeps = {
      config: t.config, db: t.mongo.db, cols: t.mongo.cols, queues: t.queues, publisher: testPublisher(t.config.REDIS_URL!), log: pino({ level: "silent" }), now: () => new Date(),
    };
    // a newer version migrated the rollups
    await migrations.updateOne({ _id: "rollup-layout" }, { $set: { version: ROLLUP_LAYOUT + 1 } });
    await expect(makeUpdateRollups(deps)(fakeJob({ reason: "test" }))).rejects.toThrow(/newer version of Undercurrent \(rollup layout 4; this process knows 3\)/);
    expect(await t.mongo.cols.rollups.countDocuments({ workspace: ws })).toBe(0);
    expect(await t.mongo.cols.items.countDocuments({ workspace: ws, rollupDirty: { $exists: true } })).toBe(30);
    // the lease is not left behind
    expect(await t.mongo.db.collection("leases").countDocuments({})).toBe(0);

    // the version that knows the layout drains them
    await migrations.updateOne({ _id: "rollup-layout" }, { $set: { version: ROLLUP_LAYOUT } });
    expect((await makeUpdateRollups(deps)(fakeJob({ reason: "test" }))).items).toBe(30);
    expect(await storedRollups(t.mongo, ws)).toEqual(await recomputedRollups(t.mongo, ws));
  });
});
