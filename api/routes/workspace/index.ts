import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { API_KEY_SCOPES } from "../../../shared/auth/api-keys";

/** Who am I: the workspace and scopes of the presented key (any scope may ask). */
export default async function workspaceRoutes(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/v1/workspace",
    {
      preHandler: app.requireScope("read"),
      schema: {
        tags: ["workspace"],
        response: { 200: z.object({ workspace: z.string(), scopes: z.array(z.enum(API_KEY_SCOPES)) }) },
      },
    },
    async (req) => ({ workspace: req.auth!.workspace, scopes: req.auth!.scopes }),
  );
}
