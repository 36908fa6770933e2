/**
 * POST /v1/customers: one customer version or `{ "items": [...] }`, each validated on its own as
 * the item routes do. GET /v1/customers/{externalId}: the customer, their spells and how many
 * tickets, mentions and survey answers are linked to them.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { customerInputSchema, spellAtBoundary, spellsOf } from "../../../shared/domain/customers";
import { MAX_BATCH_ITEMS } from "../../../shared/domain/ingest/parse-items";
import { implausibleTimesOf, type TimeWindow } from "../../../shared/domain/ingest/plausibility";
import { versionsOf, type CustomersRepo } from "../../../shared/db/customers-repo";
import { NotFoundError } from "../../../shared/errors";
import { workspaceOf } from "../../plugins/auth";
import { acceptedSchema, answerIfNothingValid, answerOfWrites, ingestErrorSchema, parseBody } from "../items/ingest-answer";

const spellSchema = z.object({ startedAt: z.string(), cancelledAt: z.string().nullable(), monthlyRevenue: z.number().optional() });
const customerSchema = z.object({
  externalId: z.string(),
  segment: z.string().optional(),
  plan: z.string().optional(),
  region: z.string().optional(),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  monthlyRevenue: z.number().optional(),
  updatedAt: z.string(),
  active: z.boolean().describe("a customer now"),
  spells: z.array(spellSchema).describe("each period as a customer, oldest first; a reactivated customer has several"),
  linked: z.object({ tickets: z.number().int(), mentions: z.number().int(), surveys: z.number().int() })
    .describe("items whose customer.id is this customer's externalId"),
});

export default async function customerRoutes(
  app: FastifyInstance,
  opts: { customers: CustomersRepo; timeWindow: () => TimeWindow; now: () => Date },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    "/v1/customers",
    {
      onRequest: app.requireScope("ingest"),
      config: { session: true },
      schema: {
        tags: ["ingest"],
        summary: `Upsert customers by externalId (versioned by updatedAt): one, or { items: [...] } up to ${MAX_BATCH_ITEMS}`,
        body: z.union([customerInputSchema, z.object({ items: z.array(customerInputSchema).min(1).max(MAX_BATCH_ITEMS) })]),
        response: { 202: acceptedSchema, 400: ingestErrorSchema },
      },
      // Validated item by item in the handler, as the item routes do.
      validatorCompiler: () => (data: unknown) => ({ value: data }),
    },
    async (req, reply) => {
      const window = opts.timeWindow();
      const parsed = parseBody(req.body, customerInputSchema, (c, prefix) => implausibleTimesOf("customer", c, window, prefix));
      const refused = answerIfNothingValid(parsed);
      if (refused) return reply.code(refused.code).send(refused.body);
      const results = await opts.customers.write(workspaceOf(req), parsed.valid.map((v) => v.item), opts.now());
      const answer = answerOfWrites(parsed, results);
      return reply.code(answer.code).send(answer.body);
    },
  );

  r.get(
    "/v1/customers/:externalId",
    {
      onRequest: app.requireScope("read"),
      schema: {
        tags: ["customers"],
        summary: "A customer: current fields, spells and linked items",
        params: z.object({ externalId: z.string().min(1).max(200) }),
        response: { 200: customerSchema },
      },
    },
    async (req) => {
      const workspace = workspaceOf(req);
      const doc = await opts.customers.get(workspace, req.params.externalId);
      if (!doc) throw new NotFoundError(`no customer ${JSON.stringify(req.params.externalId)} in this workspace`);
      const spells = spellsOf(versionsOf(doc));
      const linked = await opts.customers.linkedCounts(workspace, doc.externalId);
      const now = opts.now();
      return {
        externalId: doc.externalId,
        ...(doc.segment !== undefined ? { segment: doc.segment } : {}),
        ...(doc.plan !== undefined ? { plan: doc.plan } : {}),
        ...(doc.region !== undefined ? { region: doc.region } : {}),
        ...(doc.attributes !== undefined ? { attributes: doc.attributes } : {}),
        ...(doc.monthlyRevenue !== undefined ? { monthlyRevenue: doc.monthlyRevenue } : {}),
        updatedAt: doc.updatedAt.toISOString(),
        active: spellAtBoundary(spells, new Date(now.getTime() + 1)) !== undefined,
        spells: spells.map((s) => ({
          startedAt: s.startedAt.toISOString(),
          cancelledAt: s.cancelledAt?.toISOString() ?? null,
          ...(s.monthlyRevenue !== undefined ? { monthlyRevenue: s.monthlyRevenue } : {}),
        })),
        linked: { tickets: linked.ticket, mentions: linked.mention, surveys: linked.survey },
      };
    },
  );
}
