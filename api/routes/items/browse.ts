/**
 * GET /v1/items: the items behind a trend's point (the dashboard's drill-down), for the same
 * period and filters as /v1/trends, newest first with cursor pagination.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Collections } from "../../../shared/db/collections";
import { GROUP_KEYS, METRIC_NAMES, type GroupKey } from "../../../shared/domain/metrics";
import { drillDownFilter } from "../../../shared/domain/items/drill-down";
import type { SearchesRepo } from "../../../shared/db/searches-repo";
import { normalizeQueryWord } from "../../../shared/domain/nlp";
import { compileMatcher, parseQuery } from "../../../shared/domain/query";
import { NotFoundError } from "../../../shared/errors";
import { workspaceOf } from "../../plugins/auth";
import { rangeOf, trendQuerySchema } from "../trends/trend-query";
import { itemsPageQuerySchema, itemsResponseSchema, listItems } from "./list-items";

const groupKeyEnum = z.enum(GROUP_KEYS);

export const browseQuerySchema = trendQuerySchema
  .omit({ interval: true, groupBy: true })
  .extend({
    ...itemsPageQuerySchema.shape,
    metric: z.enum(METRIC_NAMES).optional().describe("the metric's items at its own timestamp (e.g. fcr: resolved tickets by resolvedAt); default: every item by its own time"),
    search: z.string().max(100).optional().describe("only the matches of this saved search (its words are highlighted)"),
    unknown: z
      .string()
      .max(500)
      .transform((s) => s.split(",").map((v) => v.trim()).filter(Boolean))
      .pipe(z.array(groupKeyEnum))
      .optional()
      .describe("comma-separated dimensions that must have no value (a chart's unknown group)"),
  })
  .strict();

export default async function browseItemRoutes(app: FastifyInstance, opts: { cols: Collections; searches: SearchesRepo; now: () => Date }) {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/v1/items",
    {
      onRequest: app.requireScope("read"),
      schema: {
        tags: ["items"],
        summary: "The items behind a trend: same period and filters as /v1/trends, newest first, cursor pagination",
        querystring: browseQuerySchema,
        response: { 200: itemsResponseSchema },
      },
    },
    async (req) => {
      const workspace = workspaceOf(req);
      const q = req.query;
      const { from, to } = rangeOf(q, opts.now());
      const filters: Partial<Record<GroupKey, (string | null)[]>> = {};
      for (const k of GROUP_KEYS) if (q[k]?.length) filters[k] = [...q[k]];
      for (const k of q.unknown ?? []) filters[k] = [...(filters[k] ?? []), null];
      let matcher;
      if (q.search) {
        const search = await opts.searches.get(workspace, q.search);
        if (!search) throw new NotFoundError(`no saved search ${q.search} in this workspace`);
        matcher = compileMatcher(parseQuery(search.query), normalizeQueryWord);
      }
      const sel = drillDownFilter({ workspace, from, to, metric: q.metric, filters, searchId: q.search });
      return listItems(opts.cols, { ...sel, matcher }, q);
    },
  );
}
