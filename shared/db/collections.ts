/**
 * Collection names, document shapes and indexes. Every document carries its `workspace`; every
 * query made on behalf of a request filters on it.
 */
import type { Collection, Db, IndexDescription } from "mongodb";
import type { ApiKeyScope } from "../auth/api-keys";
import type { SealedSecret } from "../crypto/secret-box";

export interface ApiKeyDoc {
  /** sha256 of the key: the key itself is shown once and never stored */
  _id: string;
  workspace: string;
  scopes: ApiKeyScope[];
  name: string;
  /** first characters of the key, to recognise it in listings */
  prefix: string;
  createdAt: Date;
  revokedAt?: Date;
}

export interface WebhookSecretDoc {
  _id: string; // `${workspace}|${provider}`
  workspace: string;
  provider: string;
  /** the secret, AES-256-GCM sealed (shared/crypto/secret-box.ts); never returned, never logged */
  sealed?: SealedSecret;
  /** written in clear by earlier versions; sealed on first read */
  secret?: string;
  updatedAt: Date;
}

/**
 * A stored ticket, mention or survey answer: canonical fields at the top level (see
 * shared/domain/ingest/stored-item.ts) plus pipeline state written by the workers.
 */
export interface ItemDoc {
  _id: string;
  workspace: string;
  kind: "ticket" | "mention" | "survey";
  [field: string]: unknown;
}

/** One rollup bucket: a UTC day of hourly slots for a (workspace, scope, family, dims, tag). */
export interface RollupDoc {
  _id: string;
  workspace: string;
  scope: string;
  family: string;
  day: string;
  dims: Record<string, string>;
  tag: string | null;
  /** hour "0".."23" -> measure -> value */
  h: Record<string, Record<string, number>>;
  lastOp?: string;
}

export interface Collections {
  apiKeys: Collection<ApiKeyDoc>;
  webhookSecrets: Collection<WebhookSecretDoc>;
  items: Collection<ItemDoc>;
  rollups: Collection<RollupDoc>;
}

export function collectionsOf(db: Db): Collections {
  return {
    apiKeys: db.collection<ApiKeyDoc>("api_keys"),
    webhookSecrets: db.collection<WebhookSecretDoc>("webhook_secrets"),
    items: db.collection<ItemDoc>("items"),
    rollups: db.collection<RollupDoc>("rollups"),
  };
}

const INDEXES: Record<string, IndexDescription[]> = {
  api_keys: [{ key: { workspace: 1 }, name: "workspace" }],
  items: [
    { key: { workspace: 1, kind: 1, at: -1 }, name: "workspace_kind_at" },
    { key: { workspace: 1, searchIds: 1, at: -1, _id: -1 }, name: "workspace_search_at" },
    // The sweeper and the rollup drainer look for work with these; partial keeps them small.
    { key: { pendingSince: 1 }, name: "pending", partialFilterExpression: { pending: true } },
    { key: { rollupDirty: 1 }, name: "rollup_dirty", partialFilterExpression: { rollupDirty: { $exists: true } } },
    // Items the rollup drain could not count (see workers/processors/update-rollups.ts), listed per workspace.
    { key: { workspace: 1 }, name: "rollup_quarantine", partialFilterExpression: { rollupQuarantine: { $exists: true } } },
  ],
  searches: [
    { key: { workspace: 1, createdAt: 1 }, name: "workspace_created" },
    // A retried create with the same Idempotency-Key finds (and cannot duplicate) the first one.
    {
      key: { workspace: 1, idempotencyKey: 1 }, name: "workspace_idempotency_key", unique: true,
      partialFilterExpression: { idempotencyKey: { $exists: true } },
    },
    // The sweeper's outbox scan.
    { key: { "announce.since": 1 }, name: "announce_pending", partialFilterExpression: { announce: { $exists: true } } },
  ],
  // Every query reads one cut (see shared/domain/metrics/README.md) over a range of days.
  rollups: [{ key: { workspace: 1, scope: 1, family: 1, cut: 1, day: 1 }, name: "workspace_scope_family_cut_day" }],
};

/** Creates every index (idempotent: createIndexes with the same spec is a no-op). */
export async function ensureIndexes(db: Db): Promise<void> {
  for (const [name, indexes] of Object.entries(INDEXES)) {
    await db.collection(name).createIndexes(indexes);
  }
}
