/**
 * GET /v1/trends/{metric} and GET /v1/trends/summary: every number read from rollups only.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RollupsRepo } from "../../../shared/db/rollups-repo";
import { workspaceOf } from "../../plugins/auth";
import { answerTrend, metricParamSchema, trendQuerySchema, trendResponseSchema } from "./trend-query";
import { answerSummary, summaryQuerySchema, summaryResponseSchema } from "./summary";

export default async function trendRoutes(app: FastifyInstance, opts: { rollups: RollupsRepo; now: () => Date }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    "/v1/trends/summary",
    {
      onRequest: app.requireScope("read"),
      schema: {
        tags: ["trends"],
        summary: "A support lead's one-screen view of a range, each figure with its change and significance",
        querystring: summaryQuerySchema,
        response: { 200: summaryResponseSchema },
      },
    },
    async (req) => answerSummary(opts.rollups, workspaceOf(req), "all", req.query, opts.now()),
  );
  r.get(
    "/v1/trends/:metric",
    {
      onRequest: app.requireScope("read"),
      schema: {
        tags: ["trends"],
        summary: "A metric over time, grouped and filtered by dimensions, with the change against the previous period",
        params: z.object({ metric: metricParamSchema }),
        querystring: trendQuerySchema,
        response: { 200: trendResponseSchema },
      },
    },
    async (req) => answerTrend(opts.rollups, workspaceOf(req), "all", req.params.metric, req.query, opts.now()),
  );
}
