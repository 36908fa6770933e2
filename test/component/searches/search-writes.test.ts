/**
 * Saved-search writes: they need the `searches` scope, a workspace holds at most
 * MAX_SEARCHES_PER_WORKSPACE of them, a change is never half done on a Redis outage (503 and
 * nothing stored, or stored and announced later by the sweeper), and a retried create with the
 * same Idempotency-Key returns the first search instead of a duplicate.
 */
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../../api/app";
import { makeApiKeysRepo } from "../../../shared/db/api-keys-repo";
import { freePort } from "../../../shared/infra/free-port";
import { makeProducerConnection } from "../../../shared/queues/connection";
import { makeQueues } from "../../../shared/queues/producers";
import { makeSweepPending, SWEEP_GRACE_MS } from "../../../workers/processors/sweep-pending";
import { makeTestApi, type TestApi } from "../../support/api";
import { openTestMongo, randomId, testConfig } from "../../support/stores";
import { fakeJob, testPublisher } from "../../support/workers";

let t: TestApi;
beforeAll(async () => {
  t = await makeTestApi({ MAX_SEARCHES_PER_WORKSPACE: "3" });
});
afterAll(async () => t?.close());

const create = (auth: string, body: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: "POST", url: "/v1/searches", headers: { authorization: auth, ...headers }, payload: body });

describe("saved-search writes", () => {
  it("need the searches scope; a read key can only read", async () => {
    const ws = randomId("ws");
    const read = await t.bearer(ws, ["read"]);
    const res = await create(read, { name: "r", query: "refund" });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toMatch(/"searches" scope/);
    expect(await t.mongo.db.collection("searches").countDocuments({ workspace: ws })).toBe(0);
    const writer = await t.bearer(ws, ["searches"]);
    expect((await create(writer, { name: "r", query: "refund" })).statusCode).toBe(201);
    expect((await t.app.inject({ method: "GET", url: "/v1/searches", headers: { authorization: read } })).json().searches).toHaveLength(1);
  });

  it("stop at the per-workspace limit with a 409 that names it", async () => {
    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["searches"]);
    for (let i = 0; i < 3; i++) expect((await create(auth, { name: `s${i}`, query: `word${i}` })).statusCode).toBe(201);
    const over = await create(auth, { name: "one too many", query: "NOT zzqq1" });
    expect(over.statusCode).toBe(409);
    expect(over.json().message).toMatch(/3 saved searches.*MAX_SEARCHES_PER_WORKSPACE/);
  });

  it("a retry with the same Idempotency-Key returns the first search, never a second one", async () => {
    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["searches"]);
    const key = randomId("idem");
    const [a, b] = await Promise.all([
      create(auth, { name: "refunds", query: "refund" }, { "idempotency-key": key }),
      create(auth, { name: "refunds", query: "refund" }, { "idempotency-key": key }),
    ]);
    const c = await create(auth, { name: "refunds", query: "refund" }, { "idempotency-key": key });
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(c.statusCode).toBe(200);
    expect(new Set([a.json().id, b.json().id, c.json().id]).size).toBe(1);
    expect(await t.mongo.db.collection("searches").countDocuments({ workspace: ws })).toBe(1);
  });
});

describe("saved-search writes while Redis is down", () => {
  it("answer 503 and store nothing", async () => {
    const config = testConfig({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    const mongo = await openTestMongo(config);
    const redis = makeProducerConnection(config.REDIS_URL!);
    redis.on("error", () => {});
    const app = await buildApp({ config, db: mongo.db, cols: mongo.cols, redis, queues: makeQueues(redis, config.QUEUE_PREFIX) });
    try {
      const ws = randomId("ws");
      const auth = `Bearer ${(await makeApiKeysRepo(mongo.cols).create(ws, ["searches"])).key}`;
      const res = await app.inject({ method: "POST", url: "/v1/searches", headers: { authorization: auth }, payload: { name: "r", query: "refund" } });
      expect(res.statusCode).toBe(503);
      expect(await mongo.db.collection("searches").countDocuments({})).toBe(0);
    } finally {
      await app.close();
      redis.disconnect();
      await mongo.close();
    }
  });

  it("a change stored but not announced (Redis lost in between) is announced by the sweeper", async () => {
    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["searches"]);
    const made = (await create(auth, { name: "r", query: "refund" })).json();
    // As if the announcement after the write had failed: the outbox entry is still there.
    await t.mongo.db.collection("searches").updateOne({ _id: made.id }, { $set: { announce: { revision: 1, since: new Date() } } });
    await t.queues.backfillSearch.remove(`backfill-${made.id}-r1`);

    const later = new Date(Date.now() + SWEEP_GRACE_MS + 1_000);
    const sweep = makeSweepPending({
      config: t.config, db: t.mongo.db, cols: t.mongo.cols, queues: t.queues,
      publisher: testPublisher(t.config.REDIS_URL!), log: pino({ level: "silent" }), now: () => later,
    });
    expect((await sweep(fakeJob({}))).searches).toBe(1);
    expect(await t.queues.backfillSearch.getJob(`backfill-${made.id}-r1`)).toBeDefined();
    expect((await t.mongo.db.collection("searches").findOne({ _id: made.id }))!.announce).toBeUndefined();
    expect((await sweep(fakeJob({}))).searches).toBe(0);
  });
});
