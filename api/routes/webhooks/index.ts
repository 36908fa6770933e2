/**
 * Helpdesk webhooks. The URL names the workspace because most providers cannot add our headers;
 * the provider's signature (or token) authenticates, checked on the raw bytes before parsing.
 * The workspace's secret is looked up (cached) in `onRequest`, before the body is read, so a
 * delivery for a workspace without a secret costs neither a body read nor a database read.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { workspaceIdSchema } from "../../../shared/auth/api-keys";
import type { WebhookSecretsRepo } from "../../../shared/db/webhook-secrets-repo";
import { issuesOf } from "../../../shared/domain/ingest/parse-items";
import { implausibleTimesOf, type TimeWindow } from "../../../shared/domain/ingest/plausibility";
import { ticketInputSchema, type TicketInput } from "../../../shared/domain/models";
import { WEBHOOK_ADAPTERS, WEBHOOK_PROVIDERS } from "../../../shared/domain/webhooks";
import { UnauthorizedError, ValidationError } from "../../../shared/errors";
import { workspaceOf } from "../../plugins/auth";

const providerSchema = z.enum(WEBHOOK_PROVIDERS);
const deliveryResponse = z.object({
  status: z.enum(["accepted", "ignored"]),
  reason: z.string().optional(),
  items: z.array(z.object({ id: z.string(), status: z.enum(["created", "updated", "unchanged"]) })).optional(),
});

declare module "fastify" {
  interface FastifyRequest {
    /** the delivery's workspace secret, found in onRequest */
    webhookSecret: string | null;
  }
}

export default async function webhookRoutes(
  app: FastifyInstance,
  opts: { secrets: WebhookSecretsRepo; timeWindow: () => TimeWindow; now: () => Date },
) {
  const secrets = opts.secrets;
  app.decorateRequest("webhookSecret", null);
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.put(
    "/v1/webhooks/:provider/secret",
    {
      onRequest: app.requireScope("admin"),
      config: { session: true },
      schema: {
        tags: ["webhooks"],
        summary: "Set this workspace's secret (or Freshdesk token) for a provider; it is never shown again",
        params: z.object({ provider: providerSchema }),
        body: z.object({ secret: z.string().min(16, "must be at least 16 characters").max(512) }).strict(),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await secrets.set(workspaceOf(req), req.params.provider, req.body.secret);
      return reply.code(204).send(null);
    },
  );

  // Deliveries need the exact bytes the provider signed, so JSON is parsed here, after verifying.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
    scope.withTypeProvider<ZodTypeProvider>().post(
      "/v1/webhooks/:provider/:workspace",
      {
        onRequest: async (req, reply) => {
          const params = z.object({ provider: providerSchema, workspace: workspaceIdSchema }).safeParse(req.params);
          if (!params.success) return; // the schema's 400 follows
          const { provider, workspace } = params.data;
          req.webhookSecret = await secrets.get(workspace, provider);
          // Same answer whether the workspace has no secret or the signature is wrong.
          if (!req.webhookSecret) throw await app.refuseCredentials(req, reply, new UnauthorizedError(`${provider} webhook: signature verification failed`));
        },
        schema: {
          tags: ["webhooks"],
          summary: "Receive a helpdesk webhook delivery (authenticated by the provider's signature)",
          security: [],
          params: z.object({ provider: providerSchema, workspace: workspaceIdSchema }),
          response: { 200: z.unknown(), 202: deliveryResponse },
        },
      },
      async (req, reply) => {
        const { provider, workspace } = req.params;
        const adapter = WEBHOOK_ADAPTERS[provider];
        const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const delivery = { headers: req.headers, rawBody, nowMs: opts.now().getTime() };
        const secret = req.webhookSecret;
        if (!secret) throw new UnauthorizedError(`${provider} webhook: signature verification failed`);
        const verified = adapter.verify(delivery, secret);
        if (!verified.ok) throw new UnauthorizedError(`${provider} webhook: ${verified.reason}`);

        const outcome = adapter.map(parseJson(rawBody), delivery);
        if (outcome.kind === "reply") {
          return reply.code(outcome.status as 200).headers(outcome.headers ?? {}).send(outcome.body);
        }
        if (outcome.kind === "ignored") return reply.code(200).send({ status: "ignored", reason: outcome.reason });

        const window = opts.timeWindow();
        const tickets: TicketInput[] = outcome.tickets.map((candidate, i) => {
          const prefix = outcome.tickets.length > 1 ? ["tickets", i] : [];
          const parsed = ticketInputSchema.safeParse(candidate);
          const issues = parsed.success ? implausibleTimesOf("ticket", parsed.data, window, prefix) : issuesOf(parsed.error, prefix);
          if (!parsed.success || issues.length) {
            throw new ValidationError(
              `${provider} webhook maps to an invalid ticket: ${issues.map((x) => `${x.path}: ${x.message}`).join("; ")}`,
              issues,
            );
          }
          return parsed.data;
        });
        const results = await app.ingest(workspace, tickets.map((item) => ({ kind: "ticket" as const, item })));
        const refused = results.flatMap((r, i) => ("error" in r ? [{ path: results.length > 1 ? `tickets.${i}` : "(body)", message: r.error }] : []));
        // The others are stored; a redelivery stores nothing twice and fails the same way.
        if (refused.length) throw new ValidationError(`${provider} webhook: ${refused.map((x) => `${x.path}: ${x.message}`).join("; ")}`, refused);
        const items = results.flatMap((r) => ("status" in r ? [{ id: r.id, status: r.status }] : []));
        req.log.info({ provider, workspace, tickets: items.length }, "webhook delivery accepted");
        return reply.code(202).send({ status: "accepted", items });
      },
    );
  });
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    throw new ValidationError("the body is not valid JSON", [{ path: "(body)", message: "is not valid JSON" }]);
  }
}
