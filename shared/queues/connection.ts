/**
 * ioredis connections as BullMQ's production guide recommends: the HTTP producer fails fast when
 * Redis is down (so the API can answer 503), workers wait for Redis forever.
 */
import { Redis } from "ioredis";

export function makeProducerConnection(url: string): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    lazyConnect: false,
  });
}

export function makeWorkerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/** Resolves once the connection is ready, or after `timeoutMs` (false) so a caller can go on degraded. */
export function waitForReady(redis: Redis, timeoutMs = 5_000): Promise<boolean> {
  if (redis.status === "ready") return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      redis.off("ready", onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    redis.once("ready", onReady);
  });
}
