/**
 * The one place that reads the environment. Parsed once at start; every other module receives the
 * parsed object. An invalid variable stops the process with a message naming it.
 */
import { z } from "zod";

const boolFromEnv = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

export const configSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Unset: the embedded MongoDB stand-in is started on DATA_DIR (`npm start` and the CLI only). */
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, "must start with mongodb:// or mongodb+srv://").optional(),
  /** Where the embedded stand-in keeps its data when MONGO_URL is unset (created when missing). */
  DATA_DIR: z.string().min(1).default(".undercurrent/data"),
  MONGO_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, "must be a plain database name").default("undercurrent"),
  /** Unset: `redis-server` from PATH is started on a free port. */
  REDIS_URL: z
    .string()
    .regex(/^(rediss?|redis\+cluster):\/\//, "must start with redis://, rediss:// or redis+cluster://")
    .optional(),
  /**
   * A Redis Cluster: `host:port` of one or more of its nodes, comma-separated (the rest are
   * discovered). Same as `REDIS_URL=redis+cluster://host:port,host:port`; wins over REDIS_URL.
   */
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, "must be host:port pairs separated by commas")
    .optional(),
  /**
   * Prefix of every BullMQ key, so several deployments can share one Redis. On a Redis Cluster a
   * hash tag per partition is added (`{uc:3}`); a prefix with its own `{tag}` is used as given.
   */
  QUEUE_PREFIX: z
    .string()
    .max(32)
    .regex(/^(?:[A-Za-z0-9_-]+|[A-Za-z0-9_-]*\{[A-Za-z0-9_:-]+\}[A-Za-z0-9_-]*)$/, "must be letters, digits, _ or -, optionally with one {hash-tag}")
    .default("uc"),
  /**
   * Partitions of the work (enrichment and rollup queues, rollup drains), by a hash of the
   * workspace. Drains of different partitions run at once; change it only with every worker stopped.
   */
  PARTITIONS: z.coerce.number().int().min(1).max(64).default(1),
  /** This worker process's name in BullMQ and in its logs; unset = `<hostname>-<pid>`. */
  WORKER_NAME: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, "must be 1-64 letters, digits, _ . : or -").optional(),
  /** Max request body. A batch is limited by this as well as by its 1,000 items: 1,000 short tickets fit, 1,000 long posts do not (413 says how to split). */
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1_024).default(5 * 1024 * 1024),
  /** Worker concurrency per queue in one process. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /**
   * How long a job may go without its worker renewing the lock before BullMQ hands it to another
   * worker (a worker killed with SIGKILL stops renewing). Also the stalled-job check interval.
   */
  WORKER_LOCK_MS: z.coerce.number().int().min(1_000).default(30_000),
  /**
   * A job that neither finishes nor reports progress for this long fails (and is retried as any
   * failed job), so a processor stuck on a call that never returns cannot hold its queue.
   */
  JOB_STALL_MS: z.coerce.number().int().min(1_000).default(300_000),
  /** How long the ingest writer waits to gather concurrent requests into one MongoDB write. */
  INGEST_FLUSH_MS: z.coerce.number().int().min(0).max(1_000).default(2),
  /**
   * Longest wait for MongoDB to confirm an ingest write before answering 503 (retry later): a
   * database that vanishes mid-write must not hold requests open. Retries converge (upserts).
   */
  INGEST_WRITE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** How often the sweeper re-enqueues items left pending (e.g. after Redis was lost). */
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** How long an API key lookup is remembered (a revoked key works at most this long). 0 = no cache. */
  AUTH_CACHE_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  /**
   * Longest time a client may take to send a whole request (headers and body); a slow or stalled
   * upload gets 408 and its connection closed, instead of holding a socket for minutes.
   */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  /**
   * Rate limits, counted in Redis so every API process shares them: an authenticated request counts
   * against its key (bearer or the session's key), any other request (webhooks, sign-in, pages,
   * failed authentication) against its address. 0 = no limit. Over the limit: 429 with Retry-After.
   */
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  /** Requests per window per API key. */
  RATE_LIMIT_PER_KEY: z.coerce.number().int().min(0).default(6_000),
  /** Requests per window per client address without valid credentials. */
  RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(0).default(600),
  /**
   * Behind a reverse proxy, whether to take the client's address (the per-address limit) from
   * X-Forwarded-For: false, true (any proxy), or the proxies' addresses/CIDRs, comma-separated.
   */
  TRUST_PROXY: z
    .string()
    .default("false")
    .transform((v): boolean | string => (v === "true" ? true : v === "false" ? false : v)),
  /**
   * Key that seals webhook secrets at rest (AES-256-GCM): 32 random bytes as base64 or 64 hex
   * digits. Unset: a key file (SECRET_KEY_FILE) is created on first start. Every API process
   * must use the same key.
   */
  SECRET_KEY: z.string().optional(),
  /** Where the key lives when SECRET_KEY is unset (created with mode 0600). */
  SECRET_KEY_FILE: z.string().min(1).default(".undercurrent/secret.key"),
  /** The oldest item timestamp accepted (older ones are rejected with the field named). */
  OLDEST_TIMESTAMP: z.iso.datetime({ offset: true }).default("2000-01-01T00:00:00Z"),
  /** How far in the future an item timestamp may lie (clock skew between systems), in ms. */
  MAX_FUTURE_SKEW_MS: z.coerce.number().int().min(0).max(7 * 86_400_000).default(86_400_000),
  /** Saved searches a workspace may hold (each costs matching work on every new item). */
  MAX_SEARCHES_PER_WORKSPACE: z.coerce.number().int().min(1).max(100_000).default(500),
  /**
   * Key that signs the dashboard's session cookie (HMAC-SHA256 by @fastify/cookie), at least 32
   * characters. Unset: one is generated once and kept in the database (`settings` collection), so
   * every process sharing the database agrees without configuration. Changing it signs everyone out.
   */
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters (e.g. openssl rand -base64 32)").optional(),
  /** How long a dashboard sign-in lasts (the cookie's Max-Age and the stored session's expiry). */
  SESSION_TTL_MS: z.coerce.number().int().min(60_000).max(30 * 86_400_000).default(12 * 3_600_000),
  /** Alert rules a workspace may hold. */
  MAX_ALERT_RULES_PER_WORKSPACE: z.coerce.number().int().min(1).max(100_000).default(200),
  /** How often the workers look for alert buckets that completed. */
  ALERT_TICK_MS: z.coerce.number().int().min(200).max(3_600_000).default(60_000),
  /** A bucket is evaluated this long after it ends, so items sent at its end are counted. */
  ALERT_SETTLE_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  /**
   * While items wait for enrichment or rollups, buckets wait too (they would look empty); past
   * this long after their end they are evaluated anyway, so a stuck pipeline cannot mute alerts.
   */
  ALERT_MAX_WAIT_MS: z.coerce.number().int().min(0).max(86_400_000).default(600_000),
  /** Days of stored buckets a new rule's detector learns from before it evaluates live buckets. */
  ALERT_WARMUP_DAYS: z.coerce.number().int().min(0).max(28).default(14),
  /** Delivery attempts per notification (exponential backoff between them) before it shows as failed. */
  NOTIFY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  /** First retry delay of a notification; doubles at each attempt. */
  NOTIFY_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(5_000),
  /** How long a notification's HTTP request may take. */
  NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** The dashboard's public address (e.g. https://undercurrent.example.com), for links in notifications; unset = no link. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Expose /docs (OpenAPI UI). */
  DOCS_ENABLED: boolFromEnv.default(true),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses `env` (default: process.env) or throws a ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(stripEmpty(env));
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
}

/** `FOO=` in a .env file means "unset", not "empty string". */
function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ""));
}

/** Loads `.env` from the working directory into process.env when it exists (real env wins). */
export function readEnvFile(path = ".env"): void {
  try {
    process.loadEnvFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
}
