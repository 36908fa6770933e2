/**
 * Alert rules (CRUD) and the alerts they raised (list, read, acknowledge, snooze). Rules are
 * evaluated by the workers as buckets complete (workers/processors/evaluate-alerts.ts); a change
 * to what a rule watches starts its detector afresh, warmed up on stored history.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AlertRuleDoc, AlertRulesRepo, RuleInput } from "../../../shared/db/alert-rules-repo";
import type { AlertsRepo } from "../../../shared/db/alerts-repo";
import type { SearchesRepo } from "../../../shared/db/searches-repo";
import { ConflictError, NotFoundError, ValidationError } from "../../../shared/errors";
import { workspaceOf } from "../../plugins/auth";
import { decodeCursor, encodeCursor } from "../items/list-items";
import {
  alertOut, alertSchema, checkRule, ruleIdParams, ruleInputSchema, ruleOut, rulePatchSchema, ruleSchema, type RuleInputBody,
} from "./schemas";

export interface AlertRoutesOptions {
  rules: AlertRulesRepo;
  alerts: AlertsRepo;
  searches: SearchesRepo;
  maxRules: number;
  requireHttps: boolean;
  now: () => Date;
}

/** Fields whose change means a different series (or detector): the rule starts afresh. */
const SERIES_FIELDS = ["kind", "metric", "searchId", "filters", "resolution", "sensitivity", "threshold"] as const;
const MAX_SNOOZE_MS = 30 * 86_400_000;

const alertIdParams = z.object({ id: z.string().regex(/^r[0-9a-f]{16}-[0-9a-z]+$/, "is not an alert id") });
const alertsQuerySchema = z
  .object({
    rule: z.string().regex(/^r[0-9a-f]{16}$/, "is not an alert-rule id").optional(),
    state: z.enum(["open", "resolved"]).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).optional().describe("nextCursor of the previous page"),
  })
  .strict();

function inputOf(body: RuleInputBody): RuleInput {
  return {
    name: body.name,
    kind: body.kind,
    metric: body.metric,
    searchId: body.searchId,
    filters: Object.fromEntries(Object.entries(body.filters).map(([k, v]) => [k, typeof v === "string" ? [v] : v])),
    resolution: body.resolution,
    sensitivity: body.sensitivity,
    ...(body.threshold ? { threshold: body.threshold } : {}),
    channels: body.channels,
    enabled: body.enabled,
  };
}

/** The stored rule as a body (channels cannot be read back: a patch without channels keeps them). */
function bodyOf(d: AlertRuleDoc): Omit<RuleInputBody, "channels"> {
  return {
    name: d.name, kind: d.kind, metric: d.metric, searchId: d.searchId, filters: d.filters, resolution: d.resolution,
    sensitivity: d.sensitivity, threshold: d.threshold as RuleInputBody["threshold"], enabled: d.enabled,
  };
}

export default async function alertRoutes(app: FastifyInstance, opts: AlertRoutesOptions) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["alerts"];

  /**
   * The rule stops watching its series as it was (deleted, paused, or watching another one): its
   * open alert resolves now, since nothing would ever resolve it.
   */
  async function endWatch(rule: AlertRuleDoc): Promise<void> {
    if (rule.openAlertId) await opts.alerts.resolve(rule.openAlertId, opts.now());
  }

  async function mustGetRule(workspace: string, id: string): Promise<AlertRuleDoc> {
    const doc = await opts.rules.get(workspace, id);
    if (!doc) throw new NotFoundError(`no alert rule ${id} in this workspace`);
    return doc;
  }
  async function checkSearch(workspace: string, searchId: string | null): Promise<void> {
    if (searchId && !(await opts.searches.get(workspace, searchId))) {
      throw new ValidationError(`body.searchId: no saved search ${searchId} in this workspace`, [
        { path: "body.searchId", message: "no such saved search in this workspace" },
      ]);
    }
  }

  r.post(
    "/v1/alert-rules",
    {
      onRequest: app.requireScope("searches"),
      config: { session: true },
      schema: { tags, summary: "Create an alert rule", body: ruleInputSchema, response: { 201: ruleSchema } },
    },
    async (req, reply) => {
      const workspace = workspaceOf(req);
      checkRule(req.body, opts.requireHttps);
      await checkSearch(workspace, req.body.searchId);
      if ((await opts.rules.count(workspace)) >= opts.maxRules) {
        throw new ConflictError(`this workspace already has ${opts.maxRules} alert rules (MAX_ALERT_RULES_PER_WORKSPACE); delete one first`);
      }
      const doc = await opts.rules.create(workspace, inputOf(req.body));
      req.log.info({ rule: doc._id, kind: doc.kind, metric: doc.metric }, "alert rule created");
      return reply.code(201).send(ruleOut(doc));
    },
  );

  r.get(
    "/v1/alert-rules",
    { onRequest: app.requireScope("read"), schema: { tags, summary: "The workspace's alert rules", response: { 200: z.object({ rules: z.array(ruleSchema) }) } } },
    async (req) => ({ rules: (await opts.rules.list(workspaceOf(req))).map(ruleOut) }),
  );

  r.get(
    "/v1/alert-rules/:id",
    { onRequest: app.requireScope("read"), schema: { tags, summary: "One alert rule", params: ruleIdParams, response: { 200: ruleSchema } } },
    async (req) => ruleOut(await mustGetRule(workspaceOf(req), req.params.id)),
  );

  r.patch(
    "/v1/alert-rules/:id",
    {
      onRequest: app.requireScope("searches"),
      config: { session: true },
      schema: {
        tags,
        summary: "Change an alert rule",
        description: "A change to what the rule watches (kind, metric, search, filters, resolution, sensitivity, threshold) restarts its detector, warmed up on stored history, and so does resuming a paused rule (`enabled: true`): it learns from what happened meanwhile without alerting on it. Such a change, and a pause, resolve the rule's open alert. Channels given replace all channels; fields left out stay.",
        params: ruleIdParams,
        body: rulePatchSchema,
        response: { 200: ruleSchema },
      },
    },
    async (req) => {
      const workspace = workspaceOf(req);
      const current = await mustGetRule(workspace, req.params.id);
      const merged = { ...bodyOf(current), channels: [], ...req.body } as RuleInputBody;
      if (req.body.kind === "spike" && req.body.threshold === undefined) delete merged.threshold;
      checkRule(merged, opts.requireHttps);
      await checkSearch(workspace, merged.searchId);
      const watchesOther = SERIES_FIELDS.some((f) => f in req.body && JSON.stringify(req.body[f]) !== JSON.stringify(bodyOf(current)[f]));
      const pausing = req.body.enabled === false && current.enabled;
      // A resumed rule warms up on what happened while it was paused instead of alerting on it.
      const resuming = req.body.enabled === true && !current.enabled;
      const input = inputOf(merged);
      const change: Partial<RuleInput> = { ...input };
      if (!req.body.channels) delete change.channels;
      const doc = await opts.rules.update(workspace, req.params.id, change, watchesOther || resuming);
      if (!doc) throw new NotFoundError(`no alert rule ${req.params.id} in this workspace`);
      if (watchesOther || pausing || resuming) await endWatch(current);
      return ruleOut(doc);
    },
  );

  r.delete(
    "/v1/alert-rules/:id",
    {
      onRequest: app.requireScope("searches"),
      config: { session: true },
      schema: { tags, summary: "Delete an alert rule (its past alerts stay; an open one resolves)", params: ruleIdParams, response: { 204: z.null() } },
    },
    async (req, reply) => {
      const current = await mustGetRule(workspaceOf(req), req.params.id);
      if (!(await opts.rules.remove(workspaceOf(req), req.params.id))) throw new NotFoundError(`no alert rule ${req.params.id} in this workspace`);
      await endWatch(current);
      return reply.code(204).send(null);
    },
  );

  r.delete(
    "/v1/alert-rules/:id/snooze",
    {
      onRequest: app.requireScope("searches"),
      config: { session: true },
      schema: {
        tags,
        summary: "End the rule's snooze: episodes opening from now on notify again",
        params: ruleIdParams,
        response: { 200: ruleSchema },
      },
    },
    async (req) => {
      const doc = await opts.rules.unsnooze(workspaceOf(req), req.params.id);
      if (!doc) throw new NotFoundError(`no alert rule ${req.params.id} in this workspace`);
      return ruleOut(doc);
    },
  );

  r.get(
    "/v1/alerts",
    {
      onRequest: app.requireScope("read"),
      schema: {
        tags,
        summary: "Alerts, open and past, newest first",
        querystring: alertsQuerySchema,
        response: { 200: z.object({ alerts: z.array(alertSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const q = req.query;
      const after = q.cursor ? decodeCursor(q.cursor) : null;
      const docs = await opts.alerts.list(workspaceOf(req), {
        ruleId: q.rule,
        state: q.state,
        after: after ? { openedAt: new Date(after.at), id: after.id } : undefined,
        limit: q.limit + 1,
      });
      const page = docs.slice(0, q.limit);
      const last = page.at(-1);
      return { alerts: page.map(alertOut), nextCursor: docs.length > q.limit && last ? encodeCursor(last.openedAt, last._id) : null };
    },
  );

  r.get(
    "/v1/alerts/:id",
    { onRequest: app.requireScope("read"), schema: { tags, summary: "One alert", params: alertIdParams, response: { 200: alertSchema } } },
    async (req) => {
      const doc = await opts.alerts.get(workspaceOf(req), req.params.id);
      if (!doc) throw new NotFoundError(`no alert ${req.params.id} in this workspace`);
      return alertOut(doc);
    },
  );

  r.post(
    "/v1/alerts/:id/acknowledge",
    {
      onRequest: app.requireScope("searches"),
      config: { session: true },
      schema: {
        tags,
        summary: "Acknowledge an alert (someone is on it)",
        params: alertIdParams,
        body: z.object({ by: z.string().trim().min(1).max(200).optional().describe("who; default: how the request signed in") }).strict().default({}),
        response: { 200: alertSchema },
      },
    },
    async (req) => {
      const doc = await opts.alerts.acknowledge(workspaceOf(req), req.params.id, req.body.by ?? req.auth!.via, opts.now());
      if (!doc) throw new NotFoundError(`no alert ${req.params.id} in this workspace`);
      return alertOut(doc);
    },
  );

  r.post(
    "/v1/alerts/:id/snooze",
    {
      onRequest: app.requireScope("searches"),
      config: { session: true },
      schema: {
        tags,
        summary: "Snooze the alert's rule: episodes opening before `until` are recorded but not notified",
        params: alertIdParams,
        body: z.object({ until: z.iso.datetime({ offset: true }).describe("at most 30 days ahead") }).strict(),
        response: { 200: z.object({ ruleId: z.string(), snoozedUntil: z.string() }) },
      },
    },
    async (req) => {
      const workspace = workspaceOf(req);
      const alert = await opts.alerts.get(workspace, req.params.id);
      if (!alert) throw new NotFoundError(`no alert ${req.params.id} in this workspace`);
      const until = new Date(req.body.until);
      const ahead = until.getTime() - opts.now().getTime();
      if (ahead <= 0 || ahead > MAX_SNOOZE_MS) {
        throw new ValidationError("body.until must be in the future and at most 30 days ahead", [
          { path: "body.until", message: "must be in the future and at most 30 days ahead" },
        ]);
      }
      const res = await opts.rules.snooze(workspace, alert.ruleId, until);
      if (res.matchedCount === 0) throw new NotFoundError(`the rule of alert ${req.params.id} was deleted`);
      return { ruleId: alert.ruleId, snoozedUntil: until.toISOString() };
    },
  );
}
