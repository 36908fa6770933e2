/**
 * Dashboard sessions (see shared/auth/sessions.ts) and the secret that signs their cookie.
 */
import type { ApiKeyScope } from "../auth/api-keys";
import { generateCsrfToken, generateSessionId, generateSessionSecret, hashSessionId, looksLikeSessionId } from "../auth/sessions";
import { isDuplicateKeyError } from "../errors";
import type { Collections, SessionDoc } from "./collections";

export interface NewSession {
  /** the id for the cookie; only its hash is stored */
  id: string;
  doc: SessionDoc;
}

export function makeSessionsRepo(cols: Pick<Collections, "sessions">, now: () => Date = () => new Date()) {
  return {
    /**
     * Stores a session made from the key with hash `keyHash`, lasting `ttlMs` but never past
     * `notAfter` (the key's expiry); expired sessions are purged on the way.
     */
    async create(from: { workspace: string; scopes: ApiKeyScope[]; keyHash: string }, ttlMs: number, notAfter?: Date | null): Promise<NewSession> {
      const t = now();
      // MongoDB's TTL index does this within a minute; the embedded stand-in has no TTL monitor.
      await cols.sessions.deleteMany({ expiresAt: { $lte: t } });
      const { id, hash } = generateSessionId();
      const doc: SessionDoc = {
        _id: hash,
        workspace: from.workspace,
        scopes: from.scopes,
        keyHash: from.keyHash,
        csrfToken: generateCsrfToken(),
        createdAt: t,
        expiresAt: new Date(Math.min(t.getTime() + ttlMs, notAfter?.getTime() ?? Infinity)),
      };
      await cols.sessions.insertOne(doc);
      return { id, doc };
    },
    /** The live session with this cookie id, or null (unknown, signed out or expired). */
    async get(id: string): Promise<SessionDoc | null> {
      if (!looksLikeSessionId(id)) return null;
      const doc = await cols.sessions.findOne({ _id: hashSessionId(id) });
      return doc && doc.expiresAt.getTime() > now().getTime() ? doc : null;
    },
    /** Ends (signs out) the session stored under this hash (`SessionDoc._id`). */
    async end(hash: string): Promise<void> {
      await cols.sessions.deleteOne({ _id: hash });
    },
  };
}
export type SessionsRepo = ReturnType<typeof makeSessionsRepo>;

const SESSION_SECRET_SETTING = "session-secret";

/**
 * The secret that signs session cookies: SESSION_SECRET when set, else one generated on the first
 * start and kept in the `settings` collection, so every process on the same database (the embedded
 * `npm start`, or API processes scaled out) signs and checks cookies alike.
 */
export async function sessionSecretOf(cols: Pick<Collections, "settings">, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const stored = await cols.settings.findOne({ _id: SESSION_SECRET_SETTING });
  if (stored) return stored.value;
  try {
    await cols.settings.insertOne({ _id: SESSION_SECRET_SETTING, value: generateSessionSecret(), createdAt: new Date() });
  } catch (err) {
    // Another process started at the same moment and stored its secret first: use that one.
    if (!isDuplicateKeyError(err)) throw err;
  }
  const doc = await cols.settings.findOne({ _id: SESSION_SECRET_SETTING });
  if (!doc) throw new Error("the session secret could not be stored in the settings collection");
  return doc.value;
}
