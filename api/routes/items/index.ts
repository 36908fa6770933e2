/**
 * POST /v1/tickets, /v1/mentions, /v1/surveys: one item or `{ "items": [...] }` (up to 1,000).
 * Each item is validated on its own so a bad item gets its own error and the rest are accepted.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { mentionInputSchema, surveyInputSchema, ticketInputSchema, type ItemKind } from "../../../shared/domain/models";
import { BodyShapeError, MAX_BATCH_ITEMS, parseItems } from "../../../shared/domain/ingest/parse-items";
import type { CanonicalItem } from "../../../shared/domain/ingest/stored-item";
import type { WriteStatus } from "../../../shared/db/items-repo";
import { implausibleTimesOf, type TimeWindow } from "../../../shared/domain/ingest/plausibility";
import { ValidationError } from "../../../shared/errors";
import { workspaceOf } from "../../plugins/auth";

const issueSchema = z.object({ path: z.string(), message: z.string() });
const itemErrorSchema = z.object({ index: z.number().int(), issues: z.array(issueSchema) });
const acceptedSchema = z.object({
  accepted: z.number().int().describe("items stored (created, updated or already known)"),
  rejected: z.number().int(),
  items: z.array(
    z.object({
      index: z.number().int(),
      id: z.string(),
      status: z.enum(["created", "updated", "unchanged"]).describe("unchanged: a duplicate or an older version"),
    }),
  ),
  errors: z.array(itemErrorSchema),
});
const errorSchema = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(issueSchema).optional(),
  errors: z.array(itemErrorSchema).optional(),
});

const RESOURCES: { path: string; kind: ItemKind; schema: z.ZodType; noun: string }[] = [
  { path: "/v1/tickets", kind: "ticket", schema: ticketInputSchema, noun: "tickets" },
  { path: "/v1/mentions", kind: "mention", schema: mentionInputSchema, noun: "social mentions" },
  { path: "/v1/surveys", kind: "survey", schema: surveyInputSchema, noun: "survey responses" },
];

export default async function itemRoutes(app: FastifyInstance, opts: { timeWindow: () => TimeWindow }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  for (const res of RESOURCES) {
    r.post(
      res.path,
      {
        onRequest: app.requireScope("ingest"),
        config: { session: true },
        schema: {
          tags: ["ingest"],
          summary: `Ingest ${res.noun}: one item, or { items: [...] } up to ${MAX_BATCH_ITEMS}`,
          body: z.union([res.schema, z.object({ items: z.array(res.schema).min(1).max(MAX_BATCH_ITEMS) })]),
          response: { 202: acceptedSchema, 400: errorSchema },
        },
        // The body schema above documents the API; items are validated one by one in the handler
        // so that valid items of a batch are accepted beside invalid ones.
        validatorCompiler: () => (data: unknown) => ({ value: data }),
      },
      async (req, reply) => {
        const workspace = workspaceOf(req);
        let parsed;
        try {
          const window = opts.timeWindow();
          parsed = parseItems(req.body, res.schema, (item, prefix) => implausibleTimesOf(res.kind, item as Record<string, unknown>, window, prefix));
        } catch (err) {
          if (err instanceof BodyShapeError) throw new ValidationError(err.message, [{ path: "(body)", message: err.message }]);
          throw err;
        }
        if (parsed.valid.length === 0) {
          const issues = parsed.errors.flatMap((e) => e.issues);
          return reply.code(400).send({
            error: "validation_failed",
            message: issues.map((i) => `${i.path}: ${i.message}`).join("; "),
            ...(parsed.batch ? { errors: parsed.errors } : { issues }),
          });
        }
        const results = await app.ingest(
          workspace,
          parsed.valid.map((v) => ({ kind: res.kind, item: v.item }) as CanonicalItem),
        );
        const stored: { index: number; id: string; status: WriteStatus }[] = [];
        const errors = [...parsed.errors];
        results.forEach((r, i) => {
          const index = parsed.valid[i]!.index;
          if ("status" in r) stored.push({ index, id: r.id, status: r.status });
          else errors.push({ index, issues: [{ path: parsed.batch ? `items.${index}` : "(body)", message: r.error }] });
        });
        errors.sort((a, b) => a.index - b.index);
        if (stored.length === 0) {
          const issues = errors.flatMap((e) => e.issues);
          return reply.code(400).send({
            error: "validation_failed",
            message: issues.map((i) => `${i.path}: ${i.message}`).join("; "),
            ...(parsed.batch ? { errors } : { issues }),
          });
        }
        return reply.code(202).send({ accepted: stored.length, rejected: errors.length, items: stored, errors });
      },
    );
  }
}
