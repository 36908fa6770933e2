/**
 * Server half of `npm run bench:ingest`, run as a child process so the load generator does not
 * share its event loop. Modes:
 *   bare — a Fastify route that only parses the same JSON body (the baseline);
 *   app  — the real API (buildApp) over real stores, counting MongoDB commands it sends.
 * Prints one JSON line {url, redisUrl?} when listening.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import { buildApp } from "../../api/app";
import { loadConfig } from "../../shared/config";
import { makeApiKeysRepo } from "../../shared/db/api-keys-repo";
import { connectMongo } from "../../shared/db/client";
import { collectionsOf, ensureIndexes } from "../../shared/db/collections";
import { startEmbeddedRedis } from "../../shared/infra/redis-server";
import { makeProducerConnection } from "../../shared/queues/connection";
import { makeQueues, queueLayoutOf } from "../../shared/queues/producers";

const mode = process.argv[2];

if (mode === "bare") {
  const app = Fastify({ logger: false, bodyLimit: 5 * 1024 * 1024 });
  app.post("/v1/tickets", async (req, reply) => {
    const body = req.body as { items?: unknown[] };
    return reply.code(202).send({ accepted: Array.isArray(body.items) ? body.items.length : 1 });
  });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  console.log(JSON.stringify({ url }));
} else if (mode === "app") {
  // One key sends thousands of requests a second here: the limiter still counts each one (its Redis
  // call is part of what is measured) but with a budget the run cannot exhaust.
  const config = loadConfig({ RATE_LIMIT_PER_KEY: "1000000000", ...process.env, LOG_LEVEL: "silent", MONGO_DB: `bench_${Date.now()}` });
  const redis = config.REDIS_URL ? undefined : await startEmbeddedRedis();
  const redisUrl = config.REDIS_URL ?? redis!.url;
  let mongoCommands = 0;
  // Without MONGO_URL: the embedded store with fsync, as `npm start` runs it (a temporary one skips it).
  const dataDir = config.MONGO_URL ? undefined : mkdtempSync(join(tmpdir(), "uc-bench-ingest-"));
  process.once("exit", () => dataDir && rmSync(dataDir, { recursive: true, force: true }));
  const mongo = await connectMongo({
    url: config.MONGO_URL,
    dataDir,
    dbName: config.MONGO_DB,
    onLog: () => {},
    clientOptions: { monitorCommands: true },
  });
  mongo.client.on("commandStarted", (e) => {
    if (e.commandName !== "hello" && e.commandName !== "isMaster" && e.commandName !== "ping") mongoCommands++;
  });
  await ensureIndexes(mongo.db);
  const cols = collectionsOf(mongo.db);
  const producer = makeProducerConnection(redisUrl);
  await new Promise((r) => producer.once("ready", r));
  const queues = makeQueues(producer, queueLayoutOf(config, redisUrl));
  const app = await buildApp({ config, db: mongo.db, cols, redis: producer, queues });
  const { key } = await makeApiKeysRepo(cols).create("bench", ["ingest"]);
  app.get("/__bench/mongo-commands", async () => ({ mongoCommands }));
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  console.log(JSON.stringify({ url, redisUrl, key }));
  const stop = async () => {
    await app.close();
    await queues.close();
    producer.disconnect();
    await mongo.close();
    await redis?.stop();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
} else {
  console.error("usage: ingest-server.ts bare|app");
  process.exit(2);
}
