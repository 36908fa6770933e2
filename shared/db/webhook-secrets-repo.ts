import type { Collections } from "./collections";

/** Per-workspace provider secrets. Stored in clear because HMACs need them; never returned. */
export function makeWebhookSecretsRepo(cols: Pick<Collections, "webhookSecrets">, now: () => Date = () => new Date()) {
  const idOf = (workspace: string, provider: string) => `${workspace}|${provider}`;
  return {
    async set(workspace: string, provider: string, secret: string): Promise<void> {
      await cols.webhookSecrets.updateOne(
        { _id: idOf(workspace, provider) },
        { $set: { workspace, provider, secret, updatedAt: now() } },
        { upsert: true },
      );
    },
    async get(workspace: string, provider: string): Promise<string | null> {
      return (await cols.webhookSecrets.findOne({ _id: idOf(workspace, provider) }))?.secret ?? null;
    },
  };
}
