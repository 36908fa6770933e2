/**
 * Authentication. Routes declare the scope they need with `onRequest: app.requireScope("read")`:
 * it runs before the body is read, so an unauthenticated request costs no parsing. The request
 * then carries `auth.workspace`, which every query must filter on.
 *
 * Two credentials:
 * - `Authorization: Bearer <key>` (API keys; every route guarded by requireScope). When the header
 *   is present it alone decides, as before sessions existed.
 * - the dashboard's session cookie (`uc_session`, made by POST /v1/session), only on routes the
 *   dashboard uses: by default every GET under /v1 except webhooks; any other route opts in with
 *   `config: { session: true }` (and a GET can opt out with `session: false`). A state-changing
 *   request (POST, PUT, PATCH, DELETE) made with the cookie must also carry `X-CSRF-Token` equal to
 *   the session's token. A session has its key's scopes and stops working when the key is revoked
 *   (checked through the key cache, so at most AUTH_CACHE_MS late in other processes).
 */
import fp from "fastify-plugin";
import cookie from "@fastify/cookie";
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from "fastify";
import { hasExpired, type ApiKeyScope } from "../../shared/auth/api-keys";
import { CSRF_HEADER, SESSION_COOKIE, tokensEqual } from "../../shared/auth/sessions";
import type { ApiKeysRepo, KeyUsageTracker } from "../../shared/db/api-keys-repo";
import type { SessionDoc } from "../../shared/db/collections";
import type { SessionsRepo } from "../../shared/db/sessions-repo";
import { ForbiddenError, UnauthorizedError } from "../../shared/errors";

export interface AuthContext {
  workspace: string;
  scopes: ApiKeyScope[];
  /** which credential authenticated the request */
  via: "bearer" | "session";
  /** the stored hash of the key (a session's: the key it was signed in with); rate limits count per key */
  keyHash: string;
}

declare module "fastify" {
  interface FastifyRequest {
    auth: AuthContext | null;
  }
  interface FastifyInstance {
    requireScope(scope: ApiKeyScope, options?: ScopeOptions): onRequestHookHandler;
    /** The live session of the request's cookie (key still active), or null. */
    sessionOf(req: FastifyRequest): Promise<SessionDoc | null>;
    /** Sets the session cookie on the reply. */
    setSessionCookie(reply: FastifyReply, sessionId: string): void;
    clearSessionCookie(reply: FastifyReply): void;
  }
  interface FastifyContextConfig {
    /** accept the dashboard's session cookie (default: GET routes under /v1 except webhooks) */
    session?: boolean;
  }
}

export interface AuthOptions {
  apiKeys: ApiKeysRepo;
  sessions: SessionsRepo;
  usage: KeyUsageTracker;
  /** signs the session cookie (SESSION_SECRET, or the one kept in the database) */
  sessionSecret: string;
  sessionTtlMs: number;
  now: () => Date;
}

export interface ScopeOptions {
  /**
   * For pages of third-party UIs that cannot send X-CSRF-Token (the queue board): accept the
   * session cookie on every method of the guarded routes, and for a state-changing request take
   * the browser's `Sec-Fetch-Site: same-origin` as the proof that this origin's page sent it.
   */
  sessionSameOrigin?: boolean;
}

/** The authenticated workspace; only call in routes guarded by requireScope. */
export function workspaceOf(req: FastifyRequest): string {
  if (!req.auth) throw new UnauthorizedError();
  return req.auth.workspace;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Whether a route accepts the session cookie (see the module comment); the OpenAPI document says so too. */
export function routeAcceptsSession(method: string, url: string, config: { session?: boolean } | undefined): boolean {
  if (config?.session !== undefined) return config.session;
  return (method === "GET" || method === "HEAD") && url.startsWith("/v1/") && !url.startsWith("/v1/webhooks/");
}

/** Refuses a state-changing request made with the session cookie unless it carries the session's CSRF token. */
export function requireCsrfToken(req: FastifyRequest, session: SessionDoc): void {
  if (SAFE_METHODS.has(req.method)) return;
  const presented = req.headers[CSRF_HEADER];
  if (typeof presented !== "string" || !tokensEqual(presented, session.csrfToken)) {
    throw new ForbiddenError("a request made with the session cookie must send the X-CSRF-Token header with the session's csrfToken");
  }
}

/** Refuses a state-changing request unless the browser says this origin's own page sent it. */
export function requireSameOrigin(req: FastifyRequest): void {
  if (SAFE_METHODS.has(req.method)) return;
  if (req.headers["sec-fetch-site"] !== "same-origin") {
    throw new ForbiddenError("a change made with the session cookie must come from this origin's own page (Sec-Fetch-Site: same-origin)");
  }
}

export default fp(
  async function authPlugin(app: FastifyInstance, opts: AuthOptions) {
    await app.register(cookie, { secret: opts.sessionSecret });
    app.decorateRequest("auth", null);

    async function sessionOf(req: FastifyRequest): Promise<SessionDoc | null> {
      const raw = req.cookies[SESSION_COOKIE];
      if (!raw) return null;
      const unsigned = req.unsignCookie(raw);
      if (!unsigned.valid || !unsigned.value) return null;
      const session = await opts.sessions.get(unsigned.value);
      if (!session) return null;
      // The key it came from must still be active (revoked: sessions are deleted too, but a
      // revocation by another process reaches this one's cache only after AUTH_CACHE_MS).
      const key = await opts.apiKeys.findActiveByHash(session.keyHash);
      if (!key || hasExpired(key, opts.now())) return null;
      opts.usage.touch(session.keyHash);
      return session;
    }
    app.decorate("sessionOf", sessionOf);
    app.decorate("setSessionCookie", (reply: FastifyReply, sessionId: string) => {
      reply.setCookie(SESSION_COOKIE, sessionId, {
        signed: true,
        httpOnly: true,
        sameSite: "strict",
        path: "/",
        maxAge: Math.floor(opts.sessionTtlMs / 1000),
        // Secure whenever the request came over HTTPS; plain http://127.0.0.1 still works
        secure: "auto",
      });
    });
    app.decorate("clearSessionCookie", (reply: FastifyReply) => {
      reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: "strict", path: "/", secure: "auto" });
    });

    app.decorate("requireScope", (scope: ApiKeyScope, options: ScopeOptions = {}): onRequestHookHandler => {
      return async (req, reply) => {
        const header = req.headers.authorization;
        let auth: AuthContext;
        const acceptsSession = options.sessionSameOrigin || routeAcceptsSession(req.method, req.routeOptions.url ?? "", req.routeOptions.config);
        if (header !== undefined || !acceptsSession) {
          const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
          if (!match) throw await app.refuseCredentials(req, reply, new UnauthorizedError("missing Authorization: Bearer <key> header"));
          const doc = await opts.apiKeys.findActive(match[1]!);
          if (!doc) throw await app.refuseCredentials(req, reply, new UnauthorizedError("unknown or revoked API key"));
          if (hasExpired(doc, opts.now())) {
            throw await app.refuseCredentials(req, reply, new UnauthorizedError(`this API key expired at ${doc.expiresAt!.toISOString()}; create a new one`));
          }
          opts.usage.touch(doc._id);
          auth = { workspace: doc.workspace, scopes: doc.scopes, via: "bearer", keyHash: doc._id };
        } else {
          if (!req.cookies[SESSION_COOKIE]) {
            throw await app.refuseCredentials(req, reply, new UnauthorizedError("missing Authorization: Bearer <key> header (or a dashboard session cookie)"));
          }
          const session = await sessionOf(req);
          if (!session) {
            throw await app.refuseCredentials(
              req,
              reply,
              new UnauthorizedError("the session has ended (signed out, expired or its key revoked); sign in again with POST /v1/session"),
            );
          }
          if (options.sessionSameOrigin) requireSameOrigin(req);
          else requireCsrfToken(req, session);
          auth = { workspace: session.workspace, scopes: session.scopes, via: "session", keyHash: session.keyHash };
        }
        if (!auth.scopes.includes(scope) && !auth.scopes.includes("admin")) {
          // Counted against the key, as the request would have been
          req.auth = auth;
          const refused = await app.refuseCredentials(req, reply, new ForbiddenError(`this ${auth.via === "session" ? "session's key" : "key"} lacks the "${scope}" scope`));
          req.auth = null;
          throw refused;
        }
        req.auth = auth;
      };
    });
  },
  { name: "auth", dependencies: ["rate-limit"] },
);
