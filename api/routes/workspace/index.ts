import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { API_KEY_SCOPES } from "../../../shared/auth/api-keys";
import type { Collections } from "../../../shared/db/collections";
import { itemSpanOf } from "../../../shared/db/item-span";

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

/**
 * Who am I: the workspace and scopes of the presented key, when its items happened, and what the
 * pipeline could not count.
 */
export default async function workspaceRoutes(app: FastifyInstance, opts: { cols: Pick<Collections, "items"> }) {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/v1/workspace",
    {
      onRequest: app.requireScope("read"),
      schema: {
        tags: ["workspace"],
        response: {
          200: z.object({ workspace: z.string(), scopes: z.array(z.enum(API_KEY_SCOPES)), dataSpan: spanSchema, quarantined: quarantineSchema }),
        },
      },
    },
    async (req) => {
      const workspace = req.auth!.workspace;
      const filter = { workspace, rollupQuarantine: { $exists: true } };
      const [count, docs, itemSpan] = await Promise.all([
        opts.cols.items.countDocuments(filter),
        opts.cols.items.find(filter, { projection: { _id: 1, rollupQuarantine: 1 } }).limit(QUARANTINE_EXAMPLES).toArray(),
        itemSpanOf(opts.cols.items, workspace),
      ]);
      const items = docs.map((d) => {
        const q = d.rollupQuarantine as { reason: string; at: Date };
        return { id: d._id, reason: q.reason, at: q.at.toISOString() };
      });
      const dataSpan = { first: itemSpan.first?.toISOString() ?? null, last: itemSpan.last?.toISOString() ?? null };
      return { workspace, scopes: req.auth!.scopes, dataSpan, quarantined: { count, items } };
    },
  );
}
