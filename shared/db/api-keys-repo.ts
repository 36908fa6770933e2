import { randomBytes } from "node:crypto";
import { generateApiKey, hashApiKey, looksLikeApiKey, type ApiKeyScope } from "../auth/api-keys";
import { isDuplicateKeyError } from "../errors";
import type { ApiKeyDoc, Collections } from "./collections";

export interface CreatedApiKey {
  /** public id (listings, revocation) */
  id: string;
  key: string;
  name: string;
  prefix: string;
  workspace: string;
  scopes: ApiKeyScope[];
  createdAt: Date;
  expiresAt: Date | null;
}

/** A key as listings show it: never the key, never its hash. */
export interface ApiKeyInfo {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  expiresAt: Date | null;
}

export const API_KEY_ID_PATTERN = /^k[0-9a-f]{16}$/;
const newKeyId = () => `k${randomBytes(8).toString("hex")}`;

function infoOf(d: ApiKeyDoc & { id: string }): ApiKeyInfo {
  return {
    id: d.id,
    name: d.name,
    prefix: d.prefix,
    scopes: d.scopes,
    createdAt: d.createdAt,
    lastUsedAt: d.lastUsedAt ?? null,
    revokedAt: d.revokedAt ?? null,
    expiresAt: d.expiresAt ?? null,
  };
}

export function makeApiKeysRepo(cols: Pick<Collections, "apiKeys" | "sessions">, now: () => Date = () => new Date()) {
  /** Gives keys stored before public ids existed one; a concurrent lister's id wins. */
  async function withIds(docs: ApiKeyDoc[]): Promise<(ApiKeyDoc & { id: string })[]> {
    return Promise.all(
      docs.map(async (d) => {
        if (d.id) return d as ApiKeyDoc & { id: string };
        try {
          await cols.apiKeys.updateOne({ _id: d._id, id: { $exists: false } }, { $set: { id: newKeyId() } });
        } catch (err) {
          if (!isDuplicateKeyError(err)) throw err; // 64 random bits collided: the next listing retries
        }
        const again = await cols.apiKeys.findOne({ _id: d._id });
        if (!again?.id) throw new Error("an API key could not be given a public id");
        return again as ApiKeyDoc & { id: string };
      }),
    );
  }

  return {
    /** A new key; `expiresAt` (optional) is when it stops working. */
    async create(workspace: string, scopes: ApiKeyScope[], name = "default", expiresAt?: Date): Promise<CreatedApiKey> {
      const { key, hash, prefix } = generateApiKey();
      const doc: ApiKeyDoc = { _id: hash, id: newKeyId(), workspace, scopes, name, prefix, createdAt: now(), ...(expiresAt ? { expiresAt } : {}) };
      await cols.apiKeys.insertOne(doc);
      return { id: doc.id!, key, name, prefix, workspace, scopes, createdAt: doc.createdAt, expiresAt: expiresAt ?? null };
    },
    /**
     * The key's record when it exists and is not revoked. It may have expired: callers check
     * `hasExpired` at the time of use (a cached record stays correct that way).
     */
    async findActive(key: string): Promise<ApiKeyDoc | null> {
      if (!looksLikeApiKey(key)) return null;
      const doc = await cols.apiKeys.findOne({ _id: hashApiKey(key) });
      return doc && !doc.revokedAt ? doc : null;
    },
    /** The same by the key's hash (what a session remembers of the key it came from). */
    async findActiveByHash(hash: string): Promise<ApiKeyDoc | null> {
      const doc = await cols.apiKeys.findOne({ _id: hash });
      return doc && !doc.revokedAt ? doc : null;
    },
    /** Every key of the workspace, revoked ones included, oldest first. */
    async list(workspace: string): Promise<ApiKeyInfo[]> {
      const docs = await cols.apiKeys.find({ workspace }).sort({ createdAt: 1, _id: 1 }).toArray();
      return (await withIds(docs)).map(infoOf);
    },
    /**
     * Revokes the key with this public id and ends the dashboard sessions signed in with it.
     * Idempotent (a revoked key keeps its first revokedAt). Null when the workspace has no such key.
     */
    async revoke(workspace: string, id: string): Promise<{ hash: string; info: ApiKeyInfo; sessionsEnded: number } | null> {
      if (!API_KEY_ID_PATTERN.test(id)) return null;
      await cols.apiKeys.updateOne({ workspace, id, revokedAt: { $exists: false } }, { $set: { revokedAt: now() } });
      const doc = await cols.apiKeys.findOne({ workspace, id });
      if (!doc) return null;
      // After the key is marked: a sign-in racing this revocation either sees the mark or made a
      // session this deletes (and the session lookup checks the key as well).
      const sessionsEnded = (await cols.sessions.deleteMany({ keyHash: doc._id })).deletedCount;
      return { hash: doc._id, info: infoOf(doc as ApiKeyDoc & { id: string }), sessionsEnded };
    },
    /** Records a use at `at`, unless one within `intervalMs` before it is recorded already. */
    async markUsed(hash: string, at: Date, intervalMs: number): Promise<void> {
      const since = new Date(at.getTime() - intervalMs);
      await cols.apiKeys.updateOne(
        { _id: hash, $or: [{ lastUsedAt: { $exists: false } }, { lastUsedAt: { $lt: since } }] },
        { $set: { lastUsedAt: at } },
      );
    },
  };
}
export type ApiKeysRepo = ReturnType<typeof makeApiKeysRepo>;

/**
 * Remembers key lookups (hits and misses) for `ttlMs`, so authenticating a request costs no
 * database round trip on the hot ingest path. A revoked key stays usable for at most `ttlMs` in
 * other processes; the process that revokes it forgets it at once.
 */
export function withKeyCache(repo: ApiKeysRepo, ttlMs: number, now: () => number = Date.now, maxEntries = 10_000): ApiKeysRepo {
  if (ttlMs <= 0) return repo;
  const byKey = new Map<string, { doc: ApiKeyDoc | null; until: number }>();
  const byHash = new Map<string, { doc: ApiKeyDoc | null; until: number }>();
  async function cached(cache: typeof byKey, k: string, load: () => Promise<ApiKeyDoc | null>) {
    const t = now();
    const hit = cache.get(k);
    if (hit && hit.until > t) return hit.doc;
    const doc = await load();
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
    cache.set(k, { doc, until: t + ttlMs });
    return doc;
  }
  return {
    ...repo,
    findActive: (key: string) => cached(byKey, key, () => repo.findActive(key)),
    findActiveByHash: (hash: string) => cached(byHash, hash, () => repo.findActiveByHash(hash)),
    async revoke(workspace, id) {
      const out = await repo.revoke(workspace, id);
      if (out) {
        byHash.delete(out.hash);
        for (const [k, v] of byKey) if (v.doc?._id === out.hash) byKey.delete(k);
      }
      return out;
    },
  };
}

/**
 * Keeps `lastUsedAt` current without a write per request: each process writes a key's use at most
 * once per `intervalMs`, and the write itself is conditional, so several processes add little.
 * `touch` never waits and never throws (a lost write only makes lastUsedAt a minute older).
 */
export function makeKeyUsageTracker(
  repo: Pick<ApiKeysRepo, "markUsed">,
  opts: { now: () => Date; intervalMs?: number; maxEntries?: number; onError?: (err: unknown) => void },
) {
  const intervalMs = opts.intervalMs ?? 60_000;
  const maxEntries = opts.maxEntries ?? 10_000;
  const lastWrite = new Map<string, number>();
  return {
    touch(hash: string): Promise<void> | undefined {
      const at = opts.now();
      const last = lastWrite.get(hash);
      if (last !== undefined && at.getTime() - last < intervalMs) return undefined;
      if (lastWrite.size >= maxEntries) lastWrite.delete(lastWrite.keys().next().value!);
      lastWrite.set(hash, at.getTime());
      return repo.markUsed(hash, at, intervalMs).catch((err: unknown) => opts.onError?.(err));
    },
  };
}
export type KeyUsageTracker = ReturnType<typeof makeKeyUsageTracker>;
