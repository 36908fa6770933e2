/**
 * The dashboard's sign-in: POST /v1/session trades an API key for an HttpOnly session cookie and a
 * CSRF token, GET /v1/session says who is signed in, DELETE /v1/session signs out. The key itself
 * never reaches the browser's storage; see api/plugins/auth.ts for where the cookie is accepted.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { API_KEY_SCOPES, hasExpired } from "../../../shared/auth/api-keys";
import type { ApiKeysRepo } from "../../../shared/db/api-keys-repo";
import type { SessionDoc } from "../../../shared/db/collections";
import type { SessionsRepo } from "../../../shared/db/sessions-repo";
import { UnauthorizedError } from "../../../shared/errors";
import { requireCsrfToken } from "../../plugins/auth";

const sessionSchema = z.object({
  workspace: z.string(),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  csrfToken: z.string().describe("send it as X-CSRF-Token with every POST, PUT, PATCH and DELETE made with the cookie"),
  expiresAt: z.string(),
});

const sessionOut = (s: SessionDoc): z.infer<typeof sessionSchema> => ({
  workspace: s.workspace,
  scopes: s.scopes,
  csrfToken: s.csrfToken,
  expiresAt: s.expiresAt.toISOString(),
});

export default async function sessionRoutes(
  app: FastifyInstance,
  opts: { apiKeys: ApiKeysRepo; sessions: SessionsRepo; ttlMs: number; now: () => Date },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["session"];

  r.post(
    "/v1/session",
    {
      schema: {
        tags,
        summary: "Sign in to the dashboard with an API key: sets the HttpOnly session cookie uc_session",
        description:
          "The session has the key's scopes, lasts SESSION_TTL_MS (never past the key's expiry) and ends when the key is revoked. " +
          "Requests made with the cookie that change state must send `X-CSRF-Token: <csrfToken>`.",
        security: [],
        body: z.object({ key: z.string().min(1).max(200) }).strict(),
        response: { 200: sessionSchema },
      },
    },
    async (req, reply) => {
      const key = await opts.apiKeys.findActive(req.body.key);
      if (!key) throw new UnauthorizedError("unknown or revoked API key");
      const now = opts.now();
      if (hasExpired(key, now)) throw new UnauthorizedError(`this API key expired at ${key.expiresAt!.toISOString()}; create a new one`);
      // a session never outlives its key
      const { id, doc } = await opts.sessions.create({ workspace: key.workspace, scopes: key.scopes, keyHash: key._id }, opts.ttlMs, key.expiresAt);
      req.log.info({ workspace: doc.workspace }, "dashboard sign-in");
      app.setSessionCookie(reply, id);
      return sessionOut(doc);
    },
  );

  r.get(
    "/v1/session",
    {
      schema: {
        tags,
        summary: "The signed-in session (workspace, scopes, CSRF token), from the cookie",
        security: [{ session: [] }],
        response: { 200: sessionSchema },
      },
    },
    async (req) => {
      const session = await app.sessionOf(req);
      if (!session) throw new UnauthorizedError("not signed in (no live session cookie); sign in with POST /v1/session");
      return sessionOut(session);
    },
  );

  r.delete(
    "/v1/session",
    {
      schema: {
        tags,
        summary: "Sign out: ends the session on the server and clears the cookie (send X-CSRF-Token)",
        security: [{ session: [] }],
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      const session = await app.sessionOf(req);
      if (session) {
        requireCsrfToken(req, session);
        await opts.sessions.end(session._id);
      }
      // Nothing live to end (expired, already signed out): clearing the cookie is all there is to do.
      app.clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );
}
