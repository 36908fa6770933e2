/**
 * GET /v1/churn/drivers: customers who churned in [from, to) compared with those retained, on
 * what they went through in the `window` before churning (or before `to`), one row per measure
 * and per saved search, largest effect first (shared/domain/customers/drivers.ts).
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { churnDriversOf, cohortsOf } from "../../../shared/domain/customers";
import type { CustomersRepo } from "../../../shared/db/customers-repo";
import type { SearchesRepo } from "../../../shared/db/searches-repo";
import { workspaceOf } from "../../plugins/auth";
import { rangeOf } from "../trends/trend-query";

const DAY_MS = 86_400_000;
const windowSchema = z
  .string()
  .regex(/^[1-9]\d{0,2}[dw]$/, "must be a number of days or weeks such as 90d or 12w (at most 999)")
  .default("90d")
  .transform((s) => Number(s.slice(0, -1)) * (s.endsWith("w") ? 7 : 1) * DAY_MS);

const sideSchema = z.object({ value: z.number().nullable(), n: z.number().int() });
const rowSchema = z.object({
  measure: z.string().describe("contacts, reopened, fcr, resolution-time, negative, last-nps, or search:<id>"),
  label: z.string(),
  unit: z.string(),
  observations: z.enum(["customers", "tickets", "items"]).describe("what n counts"),
  churned: sideSchema,
  retained: sideSchema,
  difference: z.number().nullable().describe("churned − retained"),
  test: z.object({ test: z.string(), statistic: z.number().nullable(), pValue: z.number().nullable(), significant: z.boolean() }),
  effect: z.object({ name: z.enum(["cohen-h", "cohen-d"]), value: z.number().nullable() }).describe("standardized: 0.2 small, 0.5 medium, 0.8 large"),
});

export default async function churnRoutes(app: FastifyInstance, opts: { customers: CustomersRepo; searches: SearchesRepo; now: () => Date }) {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/v1/churn/drivers",
    {
      onRequest: app.requireScope("read"),
      schema: {
        tags: ["customers"],
        summary: "Why customers churn: churned versus retained customers over the window before churn, with tests and effect sizes",
        querystring: z
          .object({
            from: z.iso.datetime({ offset: true }).optional().describe("start of the churn period (inclusive); default: `to` minus 30 days"),
            to: z.iso.datetime({ offset: true }).optional().describe("end (exclusive); default: the next whole UTC hour"),
            window: windowSchema.describe("how far back from churn (or from `to`) to look: 90d, 12w"),
          })
          .strict(),
        response: {
          200: z.object({
            from: z.string(), to: z.string(), windowDays: z.number(),
            churned: z.number().int(), retained: z.number().int(),
            rows: z.array(rowSchema),
          }),
        },
      },
    },
    async (req) => {
      const workspace = workspaceOf(req);
      const { from, to } = rangeOf(req.query, opts.now());
      const windowMs = req.query.window;
      const cohorts = cohortsOf(await opts.customers.loadForChurn(workspace), from, to, windowMs);
      const ids = [...cohorts.churned, ...cohorts.retained].map((c) => c.externalId);
      // Windows end at a cancellation in [from, to) or at `to`: none starts before from − window.
      const items = await opts.customers.driverItems(workspace, ids, new Date(from.getTime() - windowMs), to);
      const searches = (await opts.searches.col.find({ workspace }, { projection: { _id: 1, name: 1 } }).sort({ createdAt: 1 }).toArray())
        .map((s) => ({ id: s._id, name: s.name }));
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        windowDays: windowMs / DAY_MS,
        churned: cohorts.churned.length,
        retained: cohorts.retained.length,
        rows: churnDriversOf(cohorts, items, searches),
      };
    },
  );
}
