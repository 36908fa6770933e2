/**
 * Saved searches: CRUD, their matches, and every trend metric restricted to them. Creating or
 * editing a search announces it to the workers (live matching of new items) and queues a backfill
 * over stored history; deleting one removes its matches and its rollups.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { RedisClient } from "../../../shared/queues/connection";
import { z } from "zod";
import type { Collections } from "../../../shared/db/collections";
import type { RollupsRepo } from "../../../shared/db/rollups-repo";
import type { SearchesRepo } from "../../../shared/db/searches-repo";
import { parseQuery } from "../../../shared/domain/query";
import { ConflictError, NotFoundError, UnavailableError } from "../../../shared/errors";
import { announceSearch } from "../../../shared/queues/announce-search";
import type { Queues } from "../../../shared/queues/producers";
import { workspaceOf } from "../../plugins/auth";
import { answerTrend, metricParamSchema, trendQuerySchema, trendResponseSchema } from "../trends/trend-query";
import { compareQuerySchema, compareResponseSchema, compareSegments } from "./compare";
import { itemsQuerySchema, itemsResponseSchema, listMatches } from "./items";
import { answerRisingTerms, termsQuerySchema, termsResponseSchema } from "../terms/rising";
import { searchIdParams, searchInputSchema, searchOut, searchPatchSchema, searchSchema } from "./schemas";

export interface SearchRoutesOptions {
  searches: SearchesRepo;
  rollups: RollupsRepo;
  cols: Collections;
  redis: RedisClient;
  queues: Queues;
  queuePrefix: string;
  maxSearches: number;
  now: () => Date;
}

export default async function searchRoutes(app: FastifyInstance, opts: SearchRoutesOptions) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["searches"];

  /**
   * Announces a stored change. A failure here (Redis lost after the ready check) does not undo the
   * change: its outbox entry stays and the sweeper announces it later.
   */
  async function announce(workspace: string, id: string, revision?: number): Promise<void> {
    try {
      await announceSearch(opts.redis, opts.queues, opts.queuePrefix, { workspace, id }, revision);
      if (revision !== undefined) await opts.searches.announced(id, revision);
    } catch (err) {
      app.log.warn({ search: id, err: (err as Error).message }, "search announcement failed; the sweeper will retry");
    }
  }
  /** Refuse a change while Redis is down rather than store one nobody hears about. */
  function requireQueue(): void {
    if (opts.redis.status !== "ready") throw new UnavailableError("the job queue (Redis) is unavailable; retry later");
  }
  async function mustGet(workspace: string, id: string) {
    const doc = await opts.searches.get(workspace, id);
    if (!doc) throw new NotFoundError(`no saved search ${id} in this workspace`);
    return doc;
  }

  r.post(
    "/v1/searches",
    {
      onRequest: app.requireScope("searches"),
      config: { session: true },
      schema: {
        tags,
        summary: "Create a saved search; a backfill over stored items starts",
        description:
          "Send an `Idempotency-Key` header to retry safely: a retry with the same key returns the search the first request created (200) instead of a second one.",
        headers: z.object({ "idempotency-key": z.string().min(1).max(200).optional() }),
        body: searchInputSchema,
        response: { 200: searchSchema, 201: searchSchema },
      },
    },
    async (req, reply) => {
      parseQuery(req.body.query); // 400 naming the position when it does not parse
      requireQueue();
      const workspace = workspaceOf(req);
      const key = req.headers["idempotency-key"];
      if (!key && (await opts.searches.count(workspace)) >= opts.maxSearches) {
        throw new ConflictError(`this workspace holds ${opts.maxSearches} saved searches, the most allowed (MAX_SEARCHES_PER_WORKSPACE); delete one first`);
      }
      const { doc, created } = await opts.searches.create(workspace, req.body.name, req.body.query, key);
      if (created) await announce(doc.workspace, doc._id, doc.revision);
      return reply.code(created ? 201 : 200).send(searchOut(doc));
    },
  );

  r.get(
    "/v1/searches",
    { onRequest: app.requireScope("read"), schema: { tags, response: { 200: z.object({ searches: z.array(searchSchema) }) } } },
    async (req) => ({ searches: (await opts.searches.list(workspaceOf(req))).map(searchOut) }),
  );

  r.get(
    "/v1/searches/:id",
    { onRequest: app.requireScope("read"), schema: { tags, params: searchIdParams, response: { 200: searchSchema } } },
    async (req) => searchOut(await mustGet(workspaceOf(req), req.params.id)),
  );

  r.patch(
    "/v1/searches/:id",
    {
      onRequest: app.requireScope("searches"),
      config: { session: true },
      schema: { tags, summary: "Rename or change the query (a new query re-runs the backfill)", params: searchIdParams, body: searchPatchSchema, response: { 200: searchSchema } },
    },
    async (req) => {
      const workspace = workspaceOf(req);
      if (req.body.query !== undefined) parseQuery(req.body.query);
      requireQueue();
      const before = await mustGet(workspace, req.params.id);
      const doc = await opts.searches.update(workspace, req.params.id, req.body);
      if (!doc) throw new NotFoundError(`saved search ${req.params.id} changed meanwhile; retry`);
      if (doc.revision !== before.revision) await announce(workspace, doc._id, doc.revision);
      return searchOut(doc);
    },
  );

  r.delete(
    "/v1/searches/:id",
    {
      onRequest: app.requireScope("searches"),
      config: { session: true },
      schema: { tags, params: searchIdParams, response: { 204: z.null() } },
    },
    async (req, reply) => {
      const workspace = workspaceOf(req);
      const id = req.params.id;
      requireQueue();
      if (!(await opts.searches.remove(workspace, id))) throw new NotFoundError(`no saved search ${id} in this workspace`);
      // Rollups first: the drain never subtracts from scopes of deleted searches.
      await opts.rollups.deleteScope(workspace, id);
      await opts.cols.items.updateMany({ workspace, searchIds: id }, { $pull: { searchIds: id } as never });
      await announce(workspace, id);
      return reply.code(204).send(null);
    },
  );

  r.get(
    "/v1/searches/:id/trends/:metric",
    {
      onRequest: app.requireScope("read"),
      schema: {
        tags, summary: "Any trend metric restricted to the search's matches",
        params: searchIdParams.extend({ metric: metricParamSchema }), querystring: trendQuerySchema, response: { 200: trendResponseSchema },
      },
    },
    async (req) => {
      const workspace = workspaceOf(req);
      await mustGet(workspace, req.params.id);
      return answerTrend(opts.rollups, workspace, req.params.id, req.params.metric, req.query, opts.now());
    },
  );

  r.get(
    "/v1/searches/:id/items",
    {
      onRequest: app.requireScope("read"),
      schema: { tags, summary: "Matches, newest first, with matched terms highlighted", params: searchIdParams, querystring: itemsQuerySchema, response: { 200: itemsResponseSchema } },
    },
    async (req) => {
      const doc = await mustGet(workspaceOf(req), req.params.id);
      return listMatches(opts.cols, doc, req.query);
    },
  );

  r.get(
    "/v1/searches/:id/terms",
    {
      onRequest: app.requireScope("read"),
      schema: { tags, summary: "Rising terms within the search's matches against the previous period", params: searchIdParams, querystring: termsQuerySchema, response: { 200: termsResponseSchema } },
    },
    async (req) => {
      const workspace = workspaceOf(req);
      await mustGet(workspace, req.params.id);
      return answerRisingTerms(opts.cols, workspace, req.params.id, req.query, opts.now());
    },
  );

  r.get(
    "/v1/searches/:id/compare",
    {
      onRequest: app.requireScope("read"),
      schema: { tags, summary: "Compare customer segments (or any dimension) of the matches on a metric", params: searchIdParams, querystring: compareQuerySchema, response: { 200: compareResponseSchema } },
    },
    async (req) => {
      const workspace = workspaceOf(req);
      await mustGet(workspace, req.params.id);
      return compareSegments(opts.rollups, workspace, req.params.id, req.query, opts.now());
    },
  );
}
