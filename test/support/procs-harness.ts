/**
 * The set-up every worker-process test shares: a MongoDB stand-in the child processes reach over
 * TCP, the API in this process on it, and the environment a worker child needs to join them.
 * Registers its own beforeAll/afterAll; read `t` and `workerEnv` inside tests.
 */
import { afterAll, beforeAll } from "vitest";
import { startMongoStandin, type MongoStandin } from "../../shared/db/standin";
import { makeTestApi, type TestApi } from "./api";
import { killAllChildren, type spawnWorker } from "./procs-children";

export interface PipelineHarness {
  t: TestApi;
  workerEnv: Parameters<typeof spawnWorker>[0];
}

/** `extraEnv` is added to every worker's environment (e.g. WORKER_LOCK_MS). */
export function usePipelineHarness(extraEnv: Record<string, string> = {}): PipelineHarness {
  const h = {} as PipelineHarness;
  let standin: MongoStandin | undefined;
  beforeAll(async () => {
    standin = await startMongoStandin({ onLog: () => {} });
    h.t = await makeTestApi({ MONGO_URL: standin.uri });
    h.workerEnv = {
      MONGO_URL: standin.uri,
      MONGO_DB: h.t.config.MONGO_DB,
      REDIS_URL: h.t.config.REDIS_URL!,
      QUEUE_PREFIX: h.t.config.QUEUE_PREFIX,
      // The sweeper also schedules rollup drains for dirty items; keep it frequent.
      SWEEP_INTERVAL_MS: "2000",
      ...extraEnv,
    };
  });
  afterAll(async () => {
    await killAllChildren();
    await h.t?.close();
    await standin?.close();
  });
  return h;
}
