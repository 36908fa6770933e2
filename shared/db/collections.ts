/**
 * Collection names, document shapes and indexes. Every document carries its `workspace`; every
 * query made on behalf of a request filters on it.
 */
import type { Collection, Db, IndexDescription } from "mongodb";
import type { ApiKeyScope } from "../auth/api-keys";
import type { SealedSecret } from "../crypto/secret-box";
import type { FollowUpCategory } from "../domain/follow-ups";
import type { StoredMention, StoredSurvey, StoredTicket } from "../domain/ingest/stored-item";
import type { AppliedContributions, Cut, Dimension, Family, StoredApplied } from "../domain/metrics";
import type { Enrichment } from "../domain/models";
import type { Facets } from "../domain/query/facets";

export interface ApiKeyDoc {
  /** sha256 of the key: the key itself is shown once and never stored */
  _id: string;
  /**
   * Random public id (`k` + 16 hex digits) that listings and revocation name the key by, so
   * neither the key nor its hash ever leaves the server. Keys created before it existed get one
   * the first time they are listed (api-keys-repo `list`).
   */
  id?: string;
  workspace: string;
  scopes: ApiKeyScope[];
  name: string;
  /** first characters of the key, to recognise it in listings */
  prefix: string;
  createdAt: Date;
  /** last authenticated use, written at most once a minute per key and process */
  lastUsedAt?: Date;
  revokedAt?: Date;
  /** optional end of life: from then on the key is refused (401 saying it expired) */
  expiresAt?: Date;
}

/**
 * A dashboard sign-in (POST /v1/session). The browser holds only the signed session id in an
 * HttpOnly cookie; the key it signed in with is never sent back to it.
 */
export interface SessionDoc {
  /** sha256 of the session id: the id is only in the cookie, so a database read cannot sign in */
  _id: string;
  workspace: string;
  /** the scopes of the key at sign-in (keys never change scopes) */
  scopes: ApiKeyScope[];
  /** `_id` of the key it came from: revoking the key ends the session */
  keyHash: string;
  /** sent back as X-CSRF-Token on every state-changing request made with the cookie */
  csrfToken: string;
  createdAt: Date;
  /** removed by a TTL index on MongoDB; refused on read everywhere */
  expiresAt: Date;
}

/** Process-wide settings generated once and shared through the database (e.g. the session secret). */
export interface SettingDoc {
  _id: string;
  value: string;
  createdAt: Date;
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

/** A survey answer's follow-up: category and due time from ingestion, the rest once done. */
export interface FollowUpField {
  category: FollowUpCategory;
  dueAt: Date;
  doneAt?: Date;
  by?: string;
  note?: string;
  /** "api": POST /v1/surveys/{id}/follow-up; "ticket-reply": an agent's reply on the customer's ticket */
  via?: "api" | "ticket-reply";
  ticketId?: string;
}

/** Stored on an item between the steps of a rollup operation (workers/processors/update-rollups.ts). */
export interface RollupNext {
  op: string;
  applied: AppliedContributions;
}

/** Why an item counts nothing in the rollups; cleared when a later version drains normally. */
export interface RollupQuarantine {
  reason: string;
  at: Date;
}

/** What the pipeline writes on an item after ingestion, whatever its kind. */
export interface ItemPipelineState {
  /** set by ingestion, removed once the version is enriched */
  pending?: true;
  pendingSince?: Date;
  enrichment?: Enrichment;
  facets?: Facets;
  enrichedAt?: Date;
  /** the saved searches the item matches */
  searchIds?: string[];
  /** document frequencies counted for its terms, by the enrichment run `dfRun` */
  dfCounted?: true;
  dfRun?: string;
  /** a random token while its rollup contributions may differ from `rollupApplied` */
  rollupDirty?: string;
  rollupApplied?: StoredApplied;
  rollupNext?: RollupNext;
  rollupQuarantine?: RollupQuarantine;
}

type Stored<T> = Omit<T, "pending" | "pendingSince"> & ItemPipelineState;
export type TicketDoc = Stored<StoredTicket>;
export type MentionDoc = Stored<StoredMention>;
export type SurveyDoc = Stored<Omit<StoredSurvey, "followUp">> & { followUp?: FollowUpField };

/**
 * A stored ticket, mention or survey answer, discriminated by `kind`: canonical fields at the top
 * level (see shared/domain/ingest/stored-item.ts) plus pipeline state written by the workers.
 */
export type ItemDoc = TicketDoc | MentionDoc | SurveyDoc;
/** What enrichment adds to an item: both fields are written together (workers/processors/enrich-items.ts). */
export type Enriched = Required<Pick<ItemPipelineState, "enrichment" | "facets">>;
/** An item once enriched. */
export type EnrichedItemDoc = ItemDoc & Enriched;

/** Whether the item has been enriched (has its enrichment and facets). */
export function isEnriched<T extends Partial<Enriched>>(d: T): d is T & Enriched {
  return d.enrichment !== undefined && d.facets !== undefined;
}

/**
 * A customer of a workspace (POST /v1/customers): the newest version's fields at the top level,
 * versioned by `v` (ms of `updatedAt`) like a ticket, and every version received in `versions`
 * (keyed by "v" + `v`), from which the spells are derived (shared/domain/customers/spells.ts).
 */
export interface CustomerDoc {
  /** customerKey(workspace, externalId) */
  _id: string;
  workspace: string;
  externalId: string;
  segment?: string;
  plan?: string;
  region?: string;
  attributes?: Record<string, string | number | boolean>;
  monthlyRevenue?: number;
  startedAt: Date;
  cancelledAt: Date | null;
  updatedAt: Date;
  v: number;
  receivedAt: Date;
  versions?: Record<string, CustomerVersionDoc>;
}
export interface CustomerVersionDoc {
  startedAt: Date;
  cancelledAt: Date | null;
  monthlyRevenue?: number;
  /** first receipt of this version */
  receivedAt: Date;
}

/** A workspace's follow-up policy (shared/domain/follow-ups/policy.ts); absent = the defaults. */
export interface FollowUpPolicyDoc {
  /** the workspace */
  _id: string;
  policy: Record<string, unknown>;
  updatedAt: Date;
}

/** One rollup bucket: a UTC day of hourly slots for a (workspace, scope, family, dims, tag). */
export interface RollupDoc {
  _id: string;
  workspace: string;
  scope: string;
  family: Family;
  day: string;
  /** which copy of the rollups it belongs to (see `Cut`) */
  cut: Cut;
  dims: Partial<Record<Dimension, string>>;
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
  sessions: Collection<SessionDoc>;
  settings: Collection<SettingDoc>;
  customers: Collection<CustomerDoc>;
  followUpPolicies: Collection<FollowUpPolicyDoc>;
}

export function collectionsOf(db: Db): Collections {
  return {
    apiKeys: db.collection<ApiKeyDoc>("api_keys"),
    webhookSecrets: db.collection<WebhookSecretDoc>("webhook_secrets"),
    items: db.collection<ItemDoc>("items"),
    rollups: db.collection<RollupDoc>("rollups"),
    sessions: db.collection<SessionDoc>("sessions"),
    settings: db.collection<SettingDoc>("settings"),
    customers: db.collection<CustomerDoc>("customers"),
    followUpPolicies: db.collection<FollowUpPolicyDoc>("follow_up_policies"),
  };
}

const INDEXES: Record<string, IndexDescription[]> = {
  api_keys: [
    { key: { workspace: 1 }, name: "workspace" },
    { key: { id: 1 }, name: "id", unique: true, partialFilterExpression: { id: { $exists: true } } },
  ],
  sessions: [
    // MongoDB deletes expired sessions itself; lookups refuse them anyway (the stand-in keeps them).
    { key: { expiresAt: 1 }, name: "expires", expireAfterSeconds: 0 },
    // Revoking a key ends its sessions.
    { key: { keyHash: 1 }, name: "key" },
  ],
  items: [
    { key: { workspace: 1, kind: 1, at: -1 }, name: "workspace_kind_at" },
    { key: { workspace: 1, searchIds: 1, at: -1, _id: -1 }, name: "workspace_search_at" },
    // The items behind a point of a resolution or first-response trend, newest first (GET
    // /v1/items?metric=…); without them every ticket of the workspace is read and sorted.
    { key: { workspace: 1, resolvedAt: -1, _id: -1 }, name: "workspace_resolved_at", partialFilterExpression: { resolvedAt: { $exists: true } } },
    { key: { workspace: 1, firstResponseAt: -1, _id: -1 }, name: "workspace_first_response_at", partialFilterExpression: { firstResponseAt: { $exists: true } } },
    // The sweeper and the rollup drainer look for work with these; partial keeps them small.
    { key: { pendingSince: 1 }, name: "pending", partialFilterExpression: { pending: true } },
    // A workspace's items still on their way into the trends, counted from keys (GET /v1/workspace).
    { key: { workspace: 1 }, name: "pending_workspace", partialFilterExpression: { pending: true } },
    // Newest first: a batch of the drain then covers a short stretch of time even in an import
    // of years (fewer rollup documents per batch, most of them of one month), and items of today
    // are counted before a backfill's.
    { key: { at: -1 }, name: "rollup_dirty_at", partialFilterExpression: { rollupDirty: { $exists: true } } },
    // The workspaces with dirty items, which drains of several partitions (PARTITIONS > 1) and the
    // sweeper ask for (`distinct`): one index entry read per workspace instead of every dirty item.
    { key: { workspace: 1 }, name: "rollup_dirty_workspace", partialFilterExpression: { rollupDirty: { $exists: true } } },
    // Items the rollup drain could not count (see workers/processors/update-rollups.ts), listed per workspace.
    { key: { workspace: 1 }, name: "rollup_quarantine", partialFilterExpression: { rollupQuarantine: { $exists: true } } },
    // A customer's tickets, mentions and survey answers (linked by customer.id).
    { key: { workspace: 1, "customer.id": 1, at: -1 }, name: "workspace_customer_at" },
    // Survey answers that need a follow-up (their `followUp`): listed oldest due first, and read
    // by due or follow-up time for the follow-up metrics.
    { key: { workspace: 1, "followUp.dueAt": 1, _id: 1 }, name: "workspace_follow_up_due", partialFilterExpression: { followUp: { $exists: true } } },
    { key: { workspace: 1, "followUp.doneAt": 1 }, name: "workspace_follow_up_done", partialFilterExpression: { followUp: { $exists: true } } },
  ],
  // Churn queries read a workspace's customers (few, compared with its items).
  customers: [{ key: { workspace: 1 }, name: "workspace" }],
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
  alert_rules: [{ key: { workspace: 1, createdAt: 1 }, name: "workspace_created" }],
  // GET /v1/alerts: newest first, optionally one rule's.
  alerts: [
    { key: { workspace: 1, openedAt: -1, _id: -1 }, name: "workspace_opened" },
    { key: { workspace: 1, ruleId: 1, openedAt: -1, _id: -1 }, name: "workspace_rule_opened" },
  ],
  // Every query reads one cut (see shared/domain/metrics/README.md), untagged, one tag's or any
  // tag's documents, over a range of days: with the tag before the day, an untagged read skips
  // the per-tag copies stored beside its days instead of reading and discarding them.
  rollups: [
    { key: { workspace: 1, scope: 1, family: 1, cut: 1, tag: 1, day: 1 }, name: "workspace_scope_family_cut_tag_day" },
    // The month documents beside the day ones (shared/domain/metrics/month-rollups.ts).
    { key: { workspace: 1, scope: 1, family: 1, cut: 1, month: 1 }, name: "workspace_scope_family_cut_month", partialFilterExpression: { month: { $exists: true } } },
  ],
};

/** Indexes of earlier versions that an index above replaces, dropped at start. */
const REPLACED_INDEXES: Record<string, string[]> = {
  items: ["rollup_dirty"],
  rollups: ["workspace_scope_family_cut_day"],
};

/** Creates every index (idempotent: createIndexes with the same spec is a no-op) and drops replaced ones. */
export async function ensureIndexes(db: Db): Promise<void> {
  for (const [name, indexes] of Object.entries(INDEXES)) {
    await db.collection(name).createIndexes(indexes);
  }
  for (const [name, replaced] of Object.entries(REPLACED_INDEXES)) {
    const existing = new Set((await db.collection(name).listIndexes().toArray()).map((ix) => ix.name as string));
    for (const ix of replaced) if (existing.has(ix)) await db.collection(name).dropIndex(ix);
  }
}
