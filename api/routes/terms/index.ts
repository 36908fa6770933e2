import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Collections } from "../../../shared/db/collections";
import { workspaceOf } from "../../plugins/auth";
import { answerRisingTerms, termsQuerySchema, termsResponseSchema } from "./rising";

/** GET /v1/terms: what is new this period across the workspace. */
export default async function termRoutes(app: FastifyInstance, opts: { cols: Collections; now: () => Date }) {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/v1/terms",
    {
      onRequest: app.requireScope("read"),
      schema: {
        tags: ["terms"],
        summary: "Rising terms and phrases against the previous period (JLH), near duplicates collapsed",
        querystring: termsQuerySchema,
        response: { 200: termsResponseSchema },
      },
    },
    async (req) => answerRisingTerms(opts.cols, workspaceOf(req), null, req.query, opts.now()),
  );
}
