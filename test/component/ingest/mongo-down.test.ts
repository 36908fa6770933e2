import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import type { RedisClient } from "../../../shared/queues/connection";
import { buildApp } from "../../../api/app";
import { connectMongo, type MongoHandle } from "../../../shared/db/client";
import { collectionsOf, ensureIndexes } from "../../../shared/db/collections";
import { makeApiKeysRepo } from "../../../shared/db/api-keys-repo";
import { startMongoStandin, type MongoStandin } from "../../../shared/db/standin";
import { makeProducerConnection, waitForReady } from "../../../shared/queues/connection";
import { makeQueues } from "../../../shared/queues/producers";
import { randomId, testConfig } from "../../support/stores";

let standin: MongoStandin;
let mongo: MongoHandle;
let redis: RedisClient;
let app: FastifyInstance;
let auth: string;

beforeAll(async () => {
  standin = await startMongoStandin({ onLog: () => {} });
  // The driver sometimes loses the write in flight when the server goes (then the deadline answers).
  const config = testConfig({ MONGO_URL: standin.uri, INGEST_WRITE_TIMEOUT_MS: "3000" });
  mongo = await connectMongo({ url: standin.uri, dbName: config.MONGO_DB, clientOptions: { serverSelectionTimeoutMS: 500 } });
  await ensureIndexes(mongo.db);
  const cols = collectionsOf(mongo.db);
  redis = makeProducerConnection(config.REDIS_URL!);
  await waitForReady(redis);
  app = await buildApp({ config, db: mongo.db, cols, redis, queues: makeQueues(redis, config.QUEUE_PREFIX) });
  auth = `Bearer ${(await makeApiKeysRepo(cols).create(randomId("ws"), ["ingest"])).key}`;
  // Warm the key cache, then take the database away.
  await app.inject({ method: "GET", url: "/v1/workspace", headers: { authorization: auth } });
  await standin.close();
});
afterAll(async () => {
  await app?.close();
  redis?.disconnect();
  await mongo?.client.close().catch(() => {});
});

describe("with MongoDB down", () => {
  it("answers ingestion with 503 and a generic message, not a 500", async () => {
    const res = await app.inject({
      method: "POST", url: "/v1/tickets", headers: { authorization: auth },
      payload: { externalId: randomId("tk"), status: "new", createdAt: "2026-03-02T10:00:00Z" },
    });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: "unavailable", message: expect.stringMatching(/retry later/) });
  });
});
