import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../../api/app";
import { makeApiKeysRepo } from "../../../shared/db/api-keys-repo";
import { freePort } from "../../../shared/infra/free-port";
import { makeProducerConnection } from "../../../shared/queues/connection";
import { makeQueues } from "../../../shared/queues/producers";
import { openTestMongo, randomId, testConfig, type TestMongo } from "../../support/stores";
import type { FastifyInstance } from "fastify";
import type { RedisClient } from "../../../shared/queues/connection";

let app: FastifyInstance;
let mongo: TestMongo;
let redis: RedisClient;
let auth: string;

beforeAll(async () => {
  // A Redis URL where nothing listens: the producer can never connect.
  const config = testConfig({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
  mongo = await openTestMongo(config);
  redis = makeProducerConnection(config.REDIS_URL!);
  redis.on("error", () => {});
  const queues = makeQueues(redis, config.QUEUE_PREFIX);
  app = await buildApp({ config, db: mongo.db, cols: mongo.cols, redis, queues });
  auth = `Bearer ${(await makeApiKeysRepo(mongo.cols).create(randomId("ws"), ["ingest"])).key}`;
});
afterAll(async () => {
  await app?.close();
  redis?.disconnect();
  await mongo?.close();
});

describe("with Redis down", () => {
  it("answers 503 quickly and stores nothing", async () => {
    const externalId = randomId("tk");
    const started = Date.now();
    const res = await app.inject({
      method: "POST",
      url: "/v1/tickets",
      headers: { authorization: auth },
      payload: { externalId, status: "new", createdAt: "2026-03-02T10:00:00Z" },
    });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: "unavailable", message: expect.stringMatching(/Redis/) });
    expect(Date.now() - started).toBeLessThan(5_000); // a hang would hit the test timeout instead
    expect(await mongo.cols.items.countDocuments({ externalId })).toBe(0);
  });

  it("reports not ready", async () => {
    const res = await app.inject({ method: "GET", url: "/readyz" });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ ready: false, mongo: { ok: true }, redis: { ok: false } });
  });
});
