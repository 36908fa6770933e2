import type { Db } from "mongodb";
import type { Logger } from "pino";
import type { RedisClient } from "../shared/queues/connection";
import type { Config } from "../shared/config";
import type { Collections } from "../shared/db/collections";
import type { Queues } from "../shared/queues/producers";

/** What processors need; built once per worker process by main.ts (or by a test). */
export interface WorkerDeps {
  config: Config;
  db: Db;
  cols: Collections;
  queues: Queues;
  /** a Redis connection for pub/sub announcements (saved-search changes) */
  publisher: Pick<RedisClient, "publish">;
  log: Logger;
  now: () => Date;
}
