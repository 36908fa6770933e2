/**
 * How each collection is laid out on a sharded MongoDB (applied by `npm run cli -- shard-setup`
 * against a mongos). The large collections are sharded on a hashed `_id`:
 *
 * - every write of the hot path (ingest upserts, enrichment, the rollup drain's item and bucket
 *   updates, term counts) filters by `_id` alone, so with `_id` as the shard key each one goes to
 *   exactly one shard, and upserts need no other field on any MongoDB version;
 * - `_id` uniqueness, which ticket versioning, rollup replay and the idempotent writes rely on, is
 *   then guaranteed by the shard key itself (a sharded collection guarantees uniqueness only for
 *   the shard key), and these collections have no other unique index;
 * - hashing spreads the ids, which start with the workspace, so one busy workspace does not pile
 *   its writes onto one shard.
 * The price: reads by workspace (item browsing, backfills, trend reads over rollups) go to every
 * shard and are merged by mongos. Everything else is small per workspace and stays unsharded on
 * the database's primary shard.
 */
export interface ShardedCollection {
  collection: string;
  key: Record<string, 1 | "hashed">;
  why: string;
}

export const SHARDED_COLLECTIONS: ShardedCollection[] = [
  { collection: "items", key: { _id: "hashed" }, why: "the stored items: every ingest and worker write is by _id" },
  { collection: "rollups", key: { _id: "hashed" }, why: "hourly buckets: the drain's guarded $inc updates are by _id" },
  { collection: "term_stats", key: { _id: "hashed" }, why: "document frequency per workspace and term, counted by _id" },
];

/** Collections left unsharded, and why. */
export const UNSHARDED_COLLECTIONS: Record<string, string> = {
  api_keys: "small; the unique key id index could not be kept on a sharded collection",
  sessions: "small, expires by TTL",
  settings: "a handful of documents",
  webhook_secrets: "one document per workspace and provider",
  searches: "bounded per workspace; unique (workspace, idempotencyKey) index",
  alert_rules: "bounded per workspace",
  alerts: "few per rule",
  corpus_stats: "one document per workspace",
  leases: "one document per rollup partition; must stay on one shard for its conditional upsert",
  rollup_ops: "a few write-ahead operations at a time",
  migrations: "a handful of documents",
  customers: "read whole per workspace by churn queries, and few compared with items; its writes are by _id, so a hashed _id suits it too if it grows large",
  follow_up_policies: "a few per workspace",
};
