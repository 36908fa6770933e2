/**
 * `npm run cli -- secrets rotate --new-key <key>`: re-seals every stored webhook secret and alert
 * notification channel under a new key (read with the current SECRET_KEY or key file). Afterwards
 * set SECRET_KEY to the new key (or write it to SECRET_KEY_FILE) and restart the API and worker
 * processes; until then they cannot open the re-sealed secrets, so run it in a quiet moment.
 */
import { loadSecretKey, newSecretKeyText, parseSecretKey } from "../shared/crypto/secret-box";
import type { Config } from "../shared/config";
import { collectionsOf } from "../shared/db/collections";
import { makeWebhookSecretsRepo } from "../shared/db/webhook-secrets-repo";
import { makeAlertRulesRepo } from "../shared/db/alert-rules-repo";
import type { Db } from "mongodb";

export async function rotateSecretKey(db: Db, config: Config, newKeyText: string | undefined): Promise<string> {
  const current = loadSecretKey({ secretKey: config.SECRET_KEY, file: config.SECRET_KEY_FILE });
  const text = newKeyText ?? newSecretKeyText();
  const next = parseSecretKey(text, "--new-key");
  if (next.kid === current.kid) throw new Error("--new-key is the key in use; give a different one");
  const n = await makeWebhookSecretsRepo(collectionsOf(db), current).reseal(next);
  const rules = await makeAlertRulesRepo(db, current).reseal(next);
  return (
    `Re-sealed ${n} webhook secret(s) and the channels of ${rules} alert rule(s) under key ${next.kid}.\n` +
    (newKeyText ? "" : `The new key (shown only this once):\n\n  ${text}\n\n`) +
    "Now set SECRET_KEY to it (or write it to SECRET_KEY_FILE) and restart the API and the workers.\n"
  );
}
