/**
 * Real stores for component and integration tests: MongoDB through the official driver (MONGO_URL
 * or the in-memory stand-in) with a random database per call, and the run's redis-server.
 */
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { configSchema, type Config } from "../../shared/config";
import { connectMongo, type MongoHandle } from "../../shared/db/client";
import { collectionsOf, ensureIndexes, type Collections } from "../../shared/db/collections";

export function randomId(prefix = "t"): string {
  return `${prefix}${randomBytes(6).toString("hex")}`;
}

/** One sealing key per test run, so tests never create a key file in the working tree. */
const TEST_SECRET_KEY = randomBytes(32).toString("base64");

export function testConfig(overrides: Partial<Record<keyof Config, string>> = {}): Config {
  return configSchema.parse({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    MONGO_URL: process.env.MONGO_URL,
    MONGO_DB: randomId("db_"),
    REDIS_URL: inject("redisUrl"),
    QUEUE_PREFIX: randomId("q"),
    INGEST_FLUSH_MS: "0",
    SECRET_KEY: TEST_SECRET_KEY,
    ...overrides,
  });
}

export interface TestMongo extends MongoHandle {
  cols: Collections;
}

/** A fresh database (dropped on close when it lives on a real server). */
export async function openTestMongo(config: Config): Promise<TestMongo> {
  const mongo = await connectMongo({ url: config.MONGO_URL, dbName: config.MONGO_DB, onLog: () => {} });
  await ensureIndexes(mongo.db);
  return {
    ...mongo,
    cols: collectionsOf(mongo.db),
    async close() {
      if (config.MONGO_URL) await mongo.db.dropDatabase().catch(() => {});
      await mongo.close();
    },
  };
}
