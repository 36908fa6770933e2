/**
 * GET /v1/trends/{metric} and GET /v1/trends/summary: every number read from rollups only.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RollupsRepo } from "../../../shared/db/rollups-repo";
import { workspaceOf } from "../../plugins/auth";
import { answerTrend, trendQuerySchema, trendResponseSchema } from "./trend-query";
import { answerSummary, summaryQuerySchema, summaryResponseSchema } from "./summary";
import { answerCustomerTrend } from "./customer-trend";
import type { CustomersRepo } from "../../../shared/db/customers-repo";
import { CUSTOMER_METRIC_NAMES, isCustomerMetricName } from "../../../shared/domain/customers";
import { METRIC_NAMES } from "../../../shared/domain/metrics";
import { FOLLOW_UP_METRIC_NAMES, isFollowUpMetricName } from "../../../shared/domain/follow-ups";
import type { FollowUpsRepo } from "../../../shared/db/follow-ups-repo";
import { answerFollowUpTrend } from "./follow-up-trend";

/** Item metrics (from rollups), customer metrics (from the customers' spells) and follow-up metrics. */
const anyMetricSchema = z.enum([...METRIC_NAMES, ...CUSTOMER_METRIC_NAMES, ...FOLLOW_UP_METRIC_NAMES]);

export default async function trendRoutes(app: FastifyInstance, opts: { rollups: RollupsRepo; customers: CustomersRepo; followUps: FollowUpsRepo; now: () => Date }) {
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
        params: z.object({ metric: anyMetricSchema }),
        querystring: trendQuerySchema,
        response: { 200: trendResponseSchema },
      },
    },
    async (req) => {
      const metric = req.params.metric;
      if (isCustomerMetricName(metric)) return answerCustomerTrend(opts.customers, workspaceOf(req), metric, req.query, opts.now());
      if (isFollowUpMetricName(metric)) return answerFollowUpTrend(opts.followUps, workspaceOf(req), metric, req.query, opts.now());
      return answerTrend(opts.rollups, workspaceOf(req), "all", metric, req.query, opts.now());
    },
  );
}
