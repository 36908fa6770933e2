/**
 * Opens MongoDB and Redis for a process. Unset URLs fall back to embedded stand-ins (the embedded
 * MongoDB stand-in on DATA_DIR, a private redis-server) only when the caller allows it: `npm start` runs every
 * role in one process and may; a single role started for scaling out must share real stores.
 */
import type { Logger } from "pino";
import type { Config } from "../config";
import { connectMongo, type MongoHandle } from "../db/client";
import { ensureIndexes } from "../db/collections";
import { clearLeases } from "../db/lease";
import { runMigrations } from "../db/migrations";
import { redisTargetOf } from "../queues/connection";
import { startEmbeddedRedis, type EmbeddedRedis } from "./redis-server";

export interface Stores {
  mongo: MongoHandle;
  /** a Redis URL, or `redis+cluster://host:port,…` for a Redis Cluster (see shared/queues/connection.ts) */
  redisUrl: string;
  embeddedRedis?: EmbeddedRedis;
  close(): Promise<void>;
}

export interface OpenStoresOptions {
  /** start the embedded stand-in and a private redis-server when MONGO_URL / REDIS_URL are unset */
  allowEmbedded: boolean;
  /** the embedded stand-in's thread stopped while serving: nothing can be stored any more */
  onEmbeddedStoreStopped?: (err: Error) => void;
}

export async function openStores(config: Config, log: Logger, opts: OpenStoresOptions): Promise<Stores> {
  if (!opts.allowEmbedded) {
    const missing = [!config.MONGO_URL && "MONGO_URL", !redisTargetOf(config) && "REDIS_URL"].filter(Boolean);
    if (missing.length) {
      throw new Error(
        `${missing.join(" and ")} must be set when a single role runs on its own (roles must share the stores). ` +
          "Use `npm start` to run everything in one process with embedded stores.",
      );
    }
  }
  const redisTarget = redisTargetOf(config);
  const embeddedRedis = redisTarget ? undefined : await startEmbeddedRedis();
  if (embeddedRedis) log.warn({ url: embeddedRedis.url }, "REDIS_URL unset: started a private redis-server");
  const mongo = await connectMongo({
    url: config.MONGO_URL,
    dbName: config.MONGO_DB,
    dataDir: config.DATA_DIR,
    onLog: (msg) => log.warn(msg),
    onStandinStopped: opts.onEmbeddedStoreStopped,
  }).catch(async (err) => {
    await embeddedRedis?.stop();
    throw err;
  });
  await ensureIndexes(mongo.db);
  // The embedded store was started by this process, so nothing else has held a lease since: the
  // leases in its data are an earlier run's (stopped, or killed with -9). Left in place, the
  // rollup drain (and a migration that takes its lease) would wait up to DRAIN_LEASE_MS after a
  // restart before counting anything new.
  if (mongo.standin) {
    const stale = await clearLeases(mongo.db);
    if (stale > 0) log.info({ leases: stale }, "released the leases of an earlier run");
  }
  await runMigrations(mongo.db, log, { partitions: config.PARTITIONS });
  return {
    mongo,
    redisUrl: redisTarget ?? embeddedRedis!.url,
    embeddedRedis,
    async close() {
      await mongo.close();
      await embeddedRedis?.stop();
    },
  };
}
