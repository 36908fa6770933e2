import type { Db } from "mongodb";
import type { Config } from "../shared/config";
import type { Collections } from "../shared/db/collections";
import type { Queues } from "../shared/queues/producers";
import type { RedisClient } from "../shared/queues/connection";
import type { SecretKey } from "../shared/crypto/secret-box";

/** Everything the API needs from the outside world, built by server.ts (or by a test). */
export interface ApiDeps {
  config: Config;
  db: Db;
  cols: Collections;
  redis: RedisClient;
  queues: Queues;
  now?: () => Date;
  /** seals webhook secrets; default: SECRET_KEY or the key file (loadSecretKey) */
  secretKey?: SecretKey;
}
