/**
 * Starts the API role over given stores: the producer connection, the app, listen; `close()`
 * stops accepting and lets requests in flight finish. Entry points: api/server.ts and start.ts.
 */
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { Config } from "../shared/config";
import { collectionsOf } from "../shared/db/collections";
import type { Stores } from "../shared/infra/stores";
import { loggerOptions } from "../shared/logger";
import { makeProducerConnection, waitForReady } from "../shared/queues/connection";
import { makeQueues, queueLayoutOf } from "../shared/queues/producers";
import { buildApp } from "./app";

export interface RunningApi {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

export async function startApi(config: Config, stores: Stores, log: Logger): Promise<RunningApi> {
  const redis = makeProducerConnection(stores.redisUrl);
  redis.on("error", (err) => log.warn({ err: err.message }, "redis (producer) connection error"));
  // Ingestion answers 503 while Redis is not ready; give it a moment before taking traffic.
  if (!(await waitForReady(redis))) log.warn("Redis is not ready yet; ingestion answers 503 until it is");
  const queues = makeQueues(redis, queueLayoutOf(config, stores.redisUrl));
  const app = await buildApp(
    { config, db: stores.mongo.db, cols: collectionsOf(stores.mongo.db), redis, queues },
    { logger: loggerOptions(config.LOG_LEVEL, "api") },
  );
  const url = await app.listen({ host: config.HOST, port: config.PORT });
  return {
    app,
    url,
    async close() {
      // Stop accepting and let in-flight requests finish (their items are written before 202).
      await app.close();
      await queues.close();
      redis.disconnect();
    },
  };
}
