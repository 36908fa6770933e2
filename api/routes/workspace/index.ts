import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { API_KEY_SCOPES } from "../../../shared/auth/api-keys";
import type { Collections } from "../../../shared/db/collections";

/** Items listed with their reason; the count covers all of them. */
const QUARANTINE_EXAMPLES = 20;

const quarantineSchema = z
  .object({
    count: z.number().int(),
    items: z.array(z.object({ id: z.string(), reason: z.string(), at: z.string() })),
  })
  .describe("items stored but left out of the trends because the rollup drain could not count them, with the reason");

/** Who am I: the workspace and scopes of the presented key, and what the pipeline could not count. */
export default async function workspaceRoutes(app: FastifyInstance, opts: { cols: Pick<Collections, "items"> }) {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/v1/workspace",
    {
      onRequest: app.requireScope("read"),
      schema: {
        tags: ["workspace"],
        response: {
          200: z.object({ workspace: z.string(), scopes: z.array(z.enum(API_KEY_SCOPES)), quarantined: quarantineSchema }),
        },
      },
    },
    async (req) => {
      const workspace = req.auth!.workspace;
      const filter = { workspace, rollupQuarantine: { $exists: true } };
      const [count, docs] = await Promise.all([
        opts.cols.items.countDocuments(filter),
        opts.cols.items.find(filter, { projection: { _id: 1, rollupQuarantine: 1 } }).limit(QUARANTINE_EXAMPLES).toArray(),
      ]);
      const items = docs.map((d) => {
        const q = d.rollupQuarantine as { reason: string; at: Date };
        return { id: d._id, reason: q.reason, at: q.at.toISOString() };
      });
      return { workspace, scopes: req.auth!.scopes, quarantined: { count, items } };
    },
  );
}
