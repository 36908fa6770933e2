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
