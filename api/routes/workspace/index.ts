import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { API_KEY_SCOPES } from "../../../shared/auth/api-keys";
import type { Collections } from "../../../shared/db/collections";
import { itemSpanOf } from "../../../shared/db/item-span";
import { itemsInFlightOf } from "../../../shared/db/items-in-flight";

/** Items listed with their reason; the count covers all of them. */
const QUARANTINE_EXAMPLES = 20;

const quarantineSchema = z
  .object({
    count: z.number().int(),
    items: z.array(z.object({ id: z.string(), reason: z.string(), at: z.string() })),
  })
  .describe("items stored but left out of the trends because the rollup drain could not count them, with the reason");

const spanSchema = z
  .object({
    first: z.string().nullable().describe("when its earliest item happened (a ticket's createdAt, a mention's postedAt, a survey answer's respondedAt)"),
    last: z.string().nullable().describe("when its latest item happened"),
  })
  .describe("the time span of the workspace's items (null when it has none), e.g. to find an imported history");

const inFlightSchema = z
  .object({
    enriching: z.number().int().describe("items accepted and waiting for keyword and sentiment extraction (new ones, or updates)"),
    counting: z.number().int().describe("items enriched and waiting to be counted into the trends"),
  })
  .describe("the workspace's accepted items not in its trends yet: while either is above 0 the figures are still changing. An item updated before its previous version was counted is in both, so the two are not summed");

/**
 * Who am I: the workspace and scopes of the presented key, when its items happened, how many are
 * still on their way into the trends, and what the pipeline could not count.
 */
export default async function workspaceRoutes(app: FastifyInstance, opts: { cols: Pick<Collections, "items"> }) {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/v1/workspace",
    {
      onRequest: app.requireScope("read"),
      schema: {
        tags: ["workspace"],
        response: {
          200: z.object({ workspace: z.string(), scopes: z.array(z.enum(API_KEY_SCOPES)), dataSpan: spanSchema, processing: inFlightSchema, quarantined: quarantineSchema }),
        },
      },
    },
    async (req) => {
      const workspace = req.auth!.workspace;
      const filter = { workspace, rollupQuarantine: { $exists: true } };
      const [count, docs, itemSpan, processing] = await Promise.all([
        opts.cols.items.countDocuments(filter),
        opts.cols.items.find(filter, { projection: { _id: 1, rollupQuarantine: 1 } }).limit(QUARANTINE_EXAMPLES).toArray(),
        itemSpanOf(opts.cols.items, workspace),
        itemsInFlightOf(opts.cols.items, workspace),
      ]);
      const items = docs.map((d) => {
        const q = d.rollupQuarantine as { reason: string; at: Date };
        return { id: d._id, reason: q.reason, at: q.at.toISOString() };
      });
      const dataSpan = { first: itemSpan.first?.toISOString() ?? null, last: itemSpan.last?.toISOString() ?? null };
      return { workspace, scopes: req.auth!.scopes, dataSpan, processing, quarantined: { count, items } };
    },
  );
}
