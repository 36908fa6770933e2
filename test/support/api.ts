import type { FastifyInstance } from "fastify";
import type { ApiKeyScope } from "../../shared/auth/api-keys";
import type { Config } from "../../shared/config";
import { makeApiKeysRepo } from "../../shared/db/api-keys-repo";
import { makeProducerConnection, redisTargetOf, waitForReady } from "../../shared/queues/connection";
import { makeQueues, queueLayoutOf, type Queues } from "../../shared/queues/producers";
import { buildApp } from "../../api/app";
import { openTestMongo, testConfig, type TestMongo } from "./stores";

export interface TestApi {
  app: FastifyInstance;
  config: Config;
  mongo: TestMongo;
  queues: Queues;
  /** creates a key and returns the Authorization header value */
  bearer(workspace: string, scopes: ApiKeyScope[]): Promise<string>;
  close(): Promise<void>;
}

/** The real app over real stores (and the clock `opts.now`, default the real one) (test database, the run's Redis with a private queue prefix). */
export async function makeTestApi(overrides: Parameters<typeof testConfig>[0] = {}, opts: { now?: () => Date } = {}): Promise<TestApi> {
  const config = testConfig(overrides);
  const mongo = await openTestMongo(config);
  const redisTarget = redisTargetOf(config)!;
  const redis = makeProducerConnection(redisTarget);
  await waitForReady(redis);
  const queues = makeQueues(redis, queueLayoutOf(config, redisTarget));
  const app = await buildApp({ config, db: mongo.db, cols: mongo.cols, redis, queues, ...(opts.now ? { now: opts.now } : {}) }, { logger: process.env.TEST_LOG ? { level: "error" } : false });
  await app.ready();
  const keys = makeApiKeysRepo(mongo.cols);
  return {
    app,
    config,
    mongo,
    queues,
    async bearer(workspace, scopes) {
      return `Bearer ${(await keys.create(workspace, scopes)).key}`;
    },
    async close() {
      await app.close();
      await queues.close();
      redis.disconnect();
      await mongo.close();
    },
  };
}
