/**
 * One private redis-server per test run (unless REDIS_URL is given). Test files isolate their
 * queues with a random QUEUE_PREFIX. MongoDB is per file: MONGO_URL when set, else the stand-in.
 */
import type { TestProject } from "vitest/node";
import { startEmbeddedRedis, type EmbeddedRedis } from "../../shared/infra/redis-server";

let redis: EmbeddedRedis | undefined;

export async function setup(project: TestProject): Promise<void> {
  let url = process.env.REDIS_URL;
  if (!url) {
    redis = await startEmbeddedRedis();
    url = redis.url;
  }
  project.provide("redisUrl", url);
}

export async function teardown(): Promise<void> {
  await redis?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
