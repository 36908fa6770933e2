import { generateApiKey, hashApiKey, looksLikeApiKey, type ApiKeyScope } from "../auth/api-keys";
import type { ApiKeyDoc, Collections } from "./collections";

export interface CreatedApiKey {
  key: string;
  prefix: string;
  workspace: string;
  scopes: ApiKeyScope[];
}

export function makeApiKeysRepo(cols: Pick<Collections, "apiKeys">, now: () => Date = () => new Date()) {
  return {
    async create(workspace: string, scopes: ApiKeyScope[], name = "default"): Promise<CreatedApiKey> {
      const { key, hash, prefix } = generateApiKey();
      await cols.apiKeys.insertOne({ _id: hash, workspace, scopes, name, prefix, createdAt: now() });
      return { key, prefix, workspace, scopes };
    },
    /** The key's record when it exists and is not revoked. */
    async findActive(key: string): Promise<ApiKeyDoc | null> {
      if (!looksLikeApiKey(key)) return null;
      const doc = await cols.apiKeys.findOne({ _id: hashApiKey(key) });
      return doc && !doc.revokedAt ? doc : null;
    },
  };
}
export type ApiKeysRepo = ReturnType<typeof makeApiKeysRepo>;

/**
 * Remembers key lookups (hits and misses) for `ttlMs`, so authenticating a request costs no
 * database round trip on the hot ingest path. A revoked key stays usable for at most `ttlMs`.
 */
export function withKeyCache(repo: ApiKeysRepo, ttlMs: number, now: () => number = Date.now, maxEntries = 10_000): ApiKeysRepo {
  if (ttlMs <= 0) return repo;
  const cache = new Map<string, { doc: ApiKeyDoc | null; until: number }>();
  return {
    ...repo,
    async findActive(key: string) {
      const t = now();
      const hit = cache.get(key);
      if (hit && hit.until > t) return hit.doc;
      const doc = await repo.findActive(key);
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
      cache.set(key, { doc, until: t + ttlMs });
      return doc;
    },
  };
}
