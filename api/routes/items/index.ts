/**
 * POST /v1/tickets, /v1/mentions, /v1/surveys: one item or `{ "items": [...] }` (up to 1,000).
 * Each item is validated on its own so a bad item gets its own error and the rest are accepted.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { mentionInputSchema, surveyInputSchema, ticketInputSchema, type ItemKind } from "../../../shared/domain/models";
import { MAX_BATCH_ITEMS } from "../../../shared/domain/ingest/parse-items";
import type { CanonicalItem } from "../../../shared/domain/ingest/stored-item";
import { implausibleTimesOf, type TimeWindow } from "../../../shared/domain/ingest/plausibility";
import { workspaceOf } from "../../plugins/auth";
import { acceptedSchema, answerIfNothingValid, answerOfWrites, ingestErrorSchema, parseBody } from "./ingest-answer";

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
          response: { 202: acceptedSchema, 400: ingestErrorSchema },
        },
        // The body schema above documents the API; items are validated one by one in the handler
        // so that valid items of a batch are accepted beside invalid ones.
        validatorCompiler: () => (data: unknown) => ({ value: data }),
      },
      async (req, reply) => {
        const workspace = workspaceOf(req);
        const window = opts.timeWindow();
        const parsed = parseBody(req.body, res.schema, (item, prefix) => implausibleTimesOf(res.kind, item as Record<string, unknown>, window, prefix));
        const refused = answerIfNothingValid(parsed);
        if (refused) return reply.code(refused.code).send(refused.body);
        const results = await app.ingest(
          workspace,
          parsed.valid.map((v) => ({ kind: res.kind, item: v.item }) as CanonicalItem),
        );
        const answer = answerOfWrites(parsed, results);
        return reply.code(answer.code).send(answer.body);
      },
    );
  }
}
