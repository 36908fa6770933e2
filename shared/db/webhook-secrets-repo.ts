/**
 * Per-workspace provider secrets. HMACs need them in clear, so they are stored sealed
 * (AES-256-GCM, shared/crypto/secret-box.ts) and opened when a delivery is verified; never
 * returned by the API, never logged. A secret stored in clear by an earlier version is sealed the
 * first time it is read.
 */
import type { Collections } from "./collections";
import { open, seal, type SecretKey } from "../crypto/secret-box";

export function makeWebhookSecretsRepo(
  cols: Pick<Collections, "webhookSecrets">,
  key: SecretKey,
  now: () => Date = () => new Date(),
) {
  const idOf = (workspace: string, provider: string) => `${workspace}|${provider}`;
  return {
    async set(workspace: string, provider: string, secret: string): Promise<void> {
      await cols.webhookSecrets.updateOne(
        { _id: idOf(workspace, provider) },
        { $set: { workspace, provider, sealed: seal(key, secret), updatedAt: now() }, $unset: { secret: "" } },
        { upsert: true },
      );
    },
    async get(workspace: string, provider: string): Promise<string | null> {
      const doc = await cols.webhookSecrets.findOne({ _id: idOf(workspace, provider) });
      if (!doc) return null;
      if (doc.sealed) return open(key, doc.sealed);
      if (typeof doc.secret === "string") {
        await cols.webhookSecrets.updateOne(
          { _id: doc._id, secret: doc.secret },
          { $set: { sealed: seal(key, doc.secret) }, $unset: { secret: "" } },
        );
        return doc.secret;
      }
      return null;
    },
    /** Re-seals every secret under `next` (key rotation); returns how many were re-sealed. */
    async reseal(next: SecretKey): Promise<number> {
      let n = 0;
      for await (const doc of cols.webhookSecrets.find({})) {
        const clear = doc.sealed ? open(key, doc.sealed) : doc.secret;
        if (typeof clear !== "string") continue;
        await cols.webhookSecrets.updateOne({ _id: doc._id }, { $set: { sealed: seal(next, clear) }, $unset: { secret: "" } });
        n++;
      }
      return n;
    },
  };
}
export type WebhookSecretsRepo = ReturnType<typeof makeWebhookSecretsRepo>;

/**
 * Remembers secret lookups (hits and misses) for `ttlMs`, like the API key cache, so a delivery
 * (and an unauthenticated flood of them) costs no database read; `set` in this process is seen
 * at once, elsewhere within `ttlMs`.
 */
export function withSecretCache(repo: WebhookSecretsRepo, ttlMs: number, nowMs: () => number = Date.now, maxEntries = 10_000): WebhookSecretsRepo {
  if (ttlMs <= 0) return repo;
  const cache = new Map<string, { secret: string | null; until: number }>();
  return {
    ...repo,
    async set(workspace, provider, secret) {
      await repo.set(workspace, provider, secret);
      cache.delete(`${workspace}|${provider}`);
    },
    async get(workspace, provider) {
      const id = `${workspace}|${provider}`;
      const t = nowMs();
      const hit = cache.get(id);
      if (hit && hit.until > t) return hit.secret;
      const secret = await repo.get(workspace, provider);
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
      cache.set(id, { secret, until: t + ttlMs });
      return secret;
    },
  };
}
