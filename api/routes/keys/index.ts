/**
 * API keys of the workspace (admin scope): list, create (the key is shown once), revoke. Keys are
 * named by a random public id, never by the key or its hash. A revoked key is refused at once by
 * this process and within AUTH_CACHE_MS by the others; its dashboard sessions end with it.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { API_KEY_SCOPES, scopeSchema } from "../../../shared/auth/api-keys";
import { API_KEY_ID_PATTERN, type ApiKeyInfo, type ApiKeysRepo } from "../../../shared/db/api-keys-repo";
import { NotFoundError, ValidationError } from "../../../shared/errors";
import { workspaceOf } from "../../plugins/auth";

const keySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe("the key's first characters, to recognise it"),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable().describe("last use, to the minute"),
  revokedAt: z.string().nullable(),
  expiresAt: z.string().nullable().describe("when the key stops working; null: never"),
});
const createdKeySchema = z.object({
  id: z.string(),
  key: z.string().describe("the key itself: shown this once, never again"),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
});
const keyInputSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    scopes: z.array(scopeSchema).min(1, "give at least one scope").max(API_KEY_SCOPES.length * 2),
    expiresAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe("when the key stops working (an instant in the future, e.g. 2027-01-01T00:00:00Z); default: never"),
  })
  .strict();
const keyIdParams = z.object({ id: z.string().regex(API_KEY_ID_PATTERN, "is not an API key id") });

const keyOut = (k: ApiKeyInfo): z.infer<typeof keySchema> => ({
  ...k,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
  expiresAt: k.expiresAt?.toISOString() ?? null,
});

export default async function keyRoutes(app: FastifyInstance, opts: { apiKeys: ApiKeysRepo; authCacheMs: number; now: () => Date }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["keys"];

  r.get(
    "/v1/keys",
    {
      onRequest: app.requireScope("admin"),
      schema: { tags, summary: "The workspace's API keys, revoked ones included (never the keys themselves)", response: { 200: z.object({ keys: z.array(keySchema) }) } },
    },
    async (req) => ({ keys: (await opts.apiKeys.list(workspaceOf(req))).map(keyOut) }),
  );

  r.post(
    "/v1/keys",
    {
      onRequest: app.requireScope("admin"),
      config: { session: true },
      schema: { tags, summary: "Create an API key; the answer holds the key, shown this once", body: keyInputSchema, response: { 201: createdKeySchema } },
    },
    async (req, reply) => {
      const expiresAt = req.body.expiresAt ? new Date(req.body.expiresAt) : undefined;
      if (expiresAt && expiresAt.getTime() <= opts.now().getTime()) {
        throw new ValidationError("expiresAt must be in the future", [{ path: "body.expiresAt", message: "must be in the future" }]);
      }
      const created = await opts.apiKeys.create(workspaceOf(req), [...new Set(req.body.scopes)], req.body.name, expiresAt);
      req.log.info({ key: created.id, scopes: created.scopes }, "API key created");
      return reply.code(201).send({
        id: created.id,
        key: created.key,
        name: created.name,
        prefix: created.prefix,
        scopes: created.scopes,
        createdAt: created.createdAt.toISOString(),
        expiresAt: created.expiresAt?.toISOString() ?? null,
      });
    },
  );

  r.delete(
    "/v1/keys/:id",
    {
      onRequest: app.requireScope("admin"),
      config: { session: true },
      schema: {
        tags,
        summary: "Revoke an API key and end its dashboard sessions",
        description: `Other API processes refuse the key within AUTH_CACHE_MS (${opts.authCacheMs} ms here); this one at once. Revoking a revoked key changes nothing.`,
        params: keyIdParams,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      const out = await opts.apiKeys.revoke(workspaceOf(req), req.params.id);
      if (!out) throw new NotFoundError(`no API key ${req.params.id} in this workspace`);
      req.log.info({ key: req.params.id, sessionsEnded: out.sessionsEnded }, "API key revoked");
      return reply.code(204).send(null);
    },
  );
}
