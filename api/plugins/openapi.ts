import fp from "fastify-plugin";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import { jsonSchemaTransform } from "fastify-type-provider-zod";

/** OpenAPI document built from the routes' zod schemas; JSON at /docs/json, UI at /docs. */
export default fp(
  async function openapiPlugin(app: FastifyInstance, opts: { ui: boolean }) {
    await app.register(swagger, {
      openapi: {
        info: {
          title: "Undercurrent API",
          description: "Support-ticket trends and social listening. Authenticate with `Authorization: Bearer <key>`.",
          version: "0.1.0",
        },
        components: {
          securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
        },
        security: [{ bearer: [] }],
      },
      transform: jsonSchemaTransform,
    });
    if (opts.ui) await app.register(swaggerUi, { routePrefix: "/docs" });
  },
  { name: "openapi" },
);
