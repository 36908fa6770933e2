/**
 * Bearer-key authentication. Routes declare the scope they need with `app.requireScope("read")`
 * as a preHandler; the request then carries `auth.workspace`, which every query must filter on.
 */
import fp from "fastify-plugin";
import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from "fastify";
import type { ApiKeyScope } from "../../shared/auth/api-keys";
import type { ApiKeysRepo } from "../../shared/db/api-keys-repo";
import { ForbiddenError, UnauthorizedError } from "../../shared/errors";

export interface AuthContext {
  workspace: string;
  scopes: ApiKeyScope[];
}

declare module "fastify" {
  interface FastifyRequest {
    auth: AuthContext | null;
  }
  interface FastifyInstance {
    requireScope(scope: ApiKeyScope): preHandlerHookHandler;
  }
}

/** The authenticated workspace; only call in routes guarded by requireScope. */
export function workspaceOf(req: FastifyRequest): string {
  if (!req.auth) throw new UnauthorizedError();
  return req.auth.workspace;
}

export default fp(
  async function authPlugin(app: FastifyInstance, opts: { apiKeys: ApiKeysRepo }) {
    app.decorateRequest("auth", null);
    app.decorate("requireScope", (scope: ApiKeyScope): preHandlerHookHandler => {
      return async (req) => {
        const header = req.headers.authorization;
        const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
        if (!match) throw new UnauthorizedError("missing Authorization: Bearer <key> header");
        const doc = await opts.apiKeys.findActive(match[1]!);
        if (!doc) throw new UnauthorizedError("unknown or revoked API key");
        if (!doc.scopes.includes(scope) && !doc.scopes.includes("admin")) {
          throw new ForbiddenError(`this key lacks the "${scope}" scope`);
        }
        req.auth = { workspace: doc.workspace, scopes: doc.scopes };
      };
    });
  },
  { name: "auth" },
);
