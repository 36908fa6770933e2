/**
 * Closing the loop: POST /v1/surveys/{id}/follow-up records that someone followed an answer up;
 * GET /v1/follow-ups lists them by state, oldest due first; GET/PUT /v1/follow-ups/policy reads and
 * sets the workspace's due days, low-score thresholds and time zone.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { FOLLOW_UP_STATES, type FollowUpItem, type FollowUpsRepo } from "../../../shared/db/follow-ups-repo";
import { followUpPolicySchema } from "../../../shared/domain/follow-ups";
import { instant, naturalKey, shortText, wellFormed } from "../../../shared/domain/models";
import { ConflictError, NotFoundError, ValidationError } from "../../../shared/errors";
import { workspaceOf } from "../../plugins/auth";

const followUpSchema = z.object({
  id: z.string().describe("the survey answer's id, as the ingest answer gave it"),
  externalId: z.string(),
  source: z.string(),
  surveyKind: z.string(),
  score: z.number(),
  customerId: z.string().nullable(),
  respondedAt: z.string(),
  category: z.string().describe("detractor, passive, promoter, low-csat or low-ces"),
  dueAt: z.string(),
  overdue: z.boolean().describe("open and past its due time"),
  doneAt: z.string().nullable(),
  onTime: z.boolean().nullable().describe("done by its due time (null while open)"),
  by: z.string().nullable(),
  note: z.string().nullable(),
  via: z.enum(["api", "ticket-reply"]).nullable(),
  ticketId: z.string().nullable(),
});
type FollowUpView = z.infer<typeof followUpSchema>;

const closeBodySchema = z
  .object({
    by: shortText(200).describe("who followed up"),
    at: instant.optional().describe("when; default: now"),
    note: wellFormed(5_000).optional(),
  })
  .strict();

const cursorSchema = z.object({ dueAt: z.iso.datetime(), id: z.string() });
const encodeCursor = (dueAt: Date, id: string) => Buffer.from(JSON.stringify({ dueAt: dueAt.toISOString(), id })).toString("base64url");
function decodeCursor(s: string): { dueAt: Date; id: string } {
  try {
    const c = cursorSchema.parse(JSON.parse(Buffer.from(s, "base64url").toString("utf8")));
    return { dueAt: new Date(c.dueAt), id: c.id };
  } catch {
    throw new ValidationError("cursor: is not a cursor this endpoint gave", [{ path: "querystring.cursor", message: "is not a cursor this endpoint gave" }]);
  }
}

function viewOf(d: FollowUpItem, now: Date): FollowUpView {
  const f = d.followUp;
  const iso = (x?: Date) => x?.toISOString() ?? null;
  return {
    id: d._id,
    externalId: d.externalId,
    source: d.source,
    surveyKind: d.surveyKind,
    score: d.score,
    customerId: d.customer.id ?? null,
    respondedAt: d.respondedAt.toISOString(),
    category: f.category,
    dueAt: f.dueAt.toISOString(),
    overdue: !f.doneAt && f.dueAt.getTime() < now.getTime(),
    doneAt: iso(f.doneAt),
    onTime: f.doneAt ? f.doneAt.getTime() <= f.dueAt.getTime() : null,
    by: f.by ?? null,
    note: f.note ?? null,
    via: f.via ?? null,
    ticketId: f.ticketId ?? null,
  };
}

export default async function followUpRoutes(app: FastifyInstance, opts: { followUps: FollowUpsRepo; now: () => Date; maxFutureSkewMs: number }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    "/v1/surveys/:id/follow-up",
    {
      onRequest: app.requireScope("ingest"),
      config: { session: true },
      schema: {
        tags: ["follow-ups"],
        summary: "Record the follow-up of a survey answer (who, when, note)",
        params: z.object({ id: z.string().min(1).max(1_000).describe("the answer's id from the ingest answer, or its externalId (with ?source=, default api)") }),
        querystring: z.object({ source: z.string().min(1).max(50).default("api") }).strict(),
        body: closeBodySchema,
        response: { 200: followUpSchema },
      },
    },
    async (req) => {
      const workspace = workspaceOf(req);
      const now = opts.now();
      const raw = req.params.id;
      // The ingest answer's id (workspace|survey|source|externalId), or a bare externalId.
      const id = raw.includes("|") ? raw : naturalKey(workspace, "survey", req.query.source, raw);
      const doc = await opts.followUps.get(workspace, id);
      if (!doc) throw new NotFoundError(`no survey answer ${JSON.stringify(raw)} in this workspace`);
      if (!doc.followUp) throw new ConflictError("this answer needs no follow-up under the workspace's policy");
      const at = req.body.at ?? now;
      const issue = (message: string) => new ValidationError(`at: ${message}`, [{ path: "at", message }]);
      if (at.getTime() < doc.respondedAt.getTime()) throw issue("is before the answer's respondedAt");
      if (at.getTime() > now.getTime() + opts.maxFutureSkewMs) throw issue("is in the future");
      const closed = await opts.followUps.close(workspace, id, { doneAt: at, by: req.body.by, note: req.body.note, via: "api" });
      const stored = (await opts.followUps.get(workspace, id))!;
      // A follow-up is never removed once set (the check above saw it).
      const f = stored.followUp!;
      if (!closed) {
        throw new ConflictError(`already followed up at ${f.doneAt!.toISOString()}${f.by ? ` by ${f.by}` : ""}${f.via === "ticket-reply" ? " (an agent's reply on a ticket)" : ""}`);
      }
      return viewOf({ ...stored, followUp: f }, now);
    },
  );

  r.get(
    "/v1/follow-ups",
    {
      onRequest: app.requireScope("read"),
      schema: {
        tags: ["follow-ups"],
        summary: "Follow-ups by state, oldest due first, with cursor pagination",
        querystring: z
          .object({
            state: z.enum(FOLLOW_UP_STATES).default("open").describe("open (including overdue), overdue (open and past due), done"),
            limit: z.coerce.number().int().min(1).max(500).default(50),
            cursor: z.string().max(1_000).optional(),
          })
          .strict(),
        response: { 200: z.object({ items: z.array(followUpSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const now = opts.now();
      const q = req.query;
      const docs = await opts.followUps.list(workspaceOf(req), q.state, now, q.limit + 1, q.cursor ? decodeCursor(q.cursor) : undefined);
      const page = docs.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        items: page.map((d) => viewOf(d, now)),
        nextCursor: docs.length > q.limit && last ? encodeCursor(last.followUp.dueAt, last._id) : null,
      };
    },
  );

  r.get(
    "/v1/follow-ups/policy",
    {
      onRequest: app.requireScope("read"),
      schema: { tags: ["follow-ups"], summary: "The workspace's follow-up policy", response: { 200: followUpPolicySchema } },
    },
    async (req) => opts.followUps.policyOf(workspaceOf(req)),
  );

  r.put(
    "/v1/follow-ups/policy",
    {
      onRequest: app.requireScope("admin"),
      config: { session: true },
      schema: {
        tags: ["follow-ups"],
        summary: "Set the follow-up policy (applies to answers received from now on); omitted fields take their defaults",
        body: followUpPolicySchema,
        response: { 200: followUpPolicySchema },
      },
    },
    async (req) => {
      await opts.followUps.setPolicy(workspaceOf(req), req.body, opts.now());
      return req.body;
    },
  );
}
