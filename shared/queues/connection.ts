/**
 * ioredis connections as BullMQ's production guide recommends: the HTTP producer fails fast when
 * Redis is down (so the API can answer 503), workers wait for Redis forever.
 *
 * A target of the form `redis+cluster://host:port,host:port` (REDIS_CLUSTER_NODES, or REDIS_URL
 * written that way) gives an ioredis `Cluster`: it learns the slot map from those nodes, follows
 * MOVED/ASK redirections (so commands keep working while a slot migrates) and re-subscribes
 * pub/sub channels after a failover. Everything else takes either kind of client.
 */
import { Cluster, Redis, type RedisOptions } from "ioredis";

/** A single Redis or a Redis Cluster: both answer every command this project sends. */
export type RedisClient = Redis | Cluster;

const CLUSTER_SCHEME = "redis+cluster://";

/** The one Redis target a process uses, from its settings. */
export function redisTargetOf(config: { REDIS_CLUSTER_NODES?: string; REDIS_URL?: string }): string | undefined {
  if (config.REDIS_CLUSTER_NODES) return `${CLUSTER_SCHEME}${config.REDIS_CLUSTER_NODES}`;
  return config.REDIS_URL;
}

export function isClusterTarget(target: string): boolean {
  return target.startsWith(CLUSTER_SCHEME);
}

/** `redis+cluster://[user:pass@]h1:p1,h2:p2` -> its seed nodes and credentials. */
export function clusterNodesOf(target: string): { nodes: { host: string; port: number }[]; username?: string; password?: string } {
  let rest = target.slice(CLUSTER_SCHEME.length).replace(/\/.*$/, "");
  let username: string | undefined;
  let password: string | undefined;
  const at = rest.lastIndexOf("@");
  if (at >= 0) {
    const auth = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = auth.indexOf(":");
    username = colon >= 0 ? decodeURIComponent(auth.slice(0, colon)) || undefined : undefined;
    password = decodeURIComponent(colon >= 0 ? auth.slice(colon + 1) : auth);
  }
  const nodes = rest.split(",").filter(Boolean).map((hp) => {
    const i = hp.lastIndexOf(":");
    return { host: hp.slice(0, i), port: Number(hp.slice(i + 1)) };
  });
  if (nodes.length === 0 || nodes.some((n) => !n.host || !Number.isInteger(n.port))) {
    throw new Error(`not a Redis Cluster address: ${target.replace(/\/\/[^@]*@/, "//***@")}`);
  }
  return { nodes, username, password };
}

function connect(target: string, options: RedisOptions): RedisClient {
  if (!isClusterTarget(target)) return new Redis(target, options);
  const { nodes, username, password } = clusterNodesOf(target);
  return new Cluster(nodes, {
    // Commands wait (instead of failing) only while the slot map is being (re)loaded.
    enableOfflineQueue: options.enableOfflineQueue ?? true,
    enableReadyCheck: true,
    redisOptions: { ...options, username, password },
  });
}

export function makeProducerConnection(target: string): RedisClient {
  return connect(target, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    lazyConnect: false,
  });
}

export function makeWorkerConnection(target: string): RedisClient {
  return connect(target, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/** Resolves once the connection is ready, or after `timeoutMs` (false) so a caller can go on degraded. */
export function waitForReady(redis: RedisClient, timeoutMs = 5_000): Promise<boolean> {
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
