import fp from "fastify-plugin";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import { jsonSchemaTransform } from "fastify-type-provider-zod";
import { z } from "zod";
import { SESSION_COOKIE } from "../../shared/auth/sessions";
import { routeAcceptsSession } from "./auth";

/** The body of every error answer (api/plugins/errors.ts), declared once for the document. */
export const errorBodySchema = z
  .object({
    error: z.string().describe("stable code, e.g. validation_failed, unauthorized, not_found"),
    message: z.string().describe("what went wrong, naming the field or the limit"),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional().describe("per-field problems"),
  })
  .describe("Error");

/** Error answers any /v1 route can give, unless the route declares its own. */
const ERROR_ANSWERS: Record<number, string> = {
  400: "invalid request (the field path and reason are named)",
  401: "missing, unknown or revoked credentials",
  403: "the key lacks the scope this route needs",
  404: "no such resource in this workspace",
  409: "conflicts with the current state",
  413: "body larger than the limit (the answer names it)",
  415: "content type other than application/json",
  429: "too many requests; retry after the Retry-After header's seconds",
  503: "a store (MongoDB or Redis) is unavailable; retry later",
};

/** OpenAPI document built from the routes' zod schemas; JSON at /docs/json, UI at /docs. */
export default fp(
  async function openapiPlugin(app: FastifyInstance, opts: { ui: boolean }) {
    app.addHook("onRoute", (route) => {
      if (!route.url.startsWith("/v1/") || !route.schema) return;
      const response = { ...((route.schema.response as Record<string, unknown> | undefined) ?? {}) };
      for (const [code, description] of Object.entries(ERROR_ANSWERS)) {
        if (!(code in response)) response[code] = errorBodySchema.describe(description);
      }
      // Routes the dashboard's cookie may call say so (see routeAcceptsSession in plugins/auth.ts)
      const method = Array.isArray(route.method) ? route.method[0]! : route.method;
      const acceptsSession = routeAcceptsSession(method, route.url, route.config as { session?: boolean } | undefined);
      const security = route.schema.security ?? (acceptsSession ? [{ bearer: [] }, { session: [] }] : undefined);
      route.schema = { ...route.schema, response, ...(security ? { security } : {}) };
    });
    await app.register(swagger, {
      openapi: {
        info: {
          title: "Undercurrent API",
          description:
            "Support-ticket trends and social listening. Authenticate with `Authorization: Bearer <key>`; the dashboard signs in with a key and then uses a session cookie.",
          version: "0.1.0",
        },
        components: {
          securitySchemes: {
            bearer: { type: "http", scheme: "bearer" },
            session: {
              type: "apiKey",
              in: "cookie",
              name: SESSION_COOKIE,
              description: "The dashboard's sign-in (POST /v1/session). Requests that change state must also send X-CSRF-Token.",
            },
          },
        },
        security: [{ bearer: [] }],
      },
      transform: jsonSchemaTransform,
    });
    if (opts.ui) await app.register(swaggerUi, { routePrefix: "/docs" });
  },
  { name: "openapi" },
);
