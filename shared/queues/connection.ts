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
