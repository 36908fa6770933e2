/**
 * Builds the whole Fastify app as a plugin tree without listening: server.ts listens, tests call
 * `inject` on the very same app.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { makeApiKeysRepo, makeKeyUsageTracker, withKeyCache } from "../shared/db/api-keys-repo";
import { makeSessionsRepo, sessionSecretOf } from "../shared/db/sessions-repo";
import { makeWebhookSecretsRepo, withSecretCache } from "../shared/db/webhook-secrets-repo";
import { loadSecretKey } from "../shared/crypto/secret-box";
import type { TimeWindow } from "../shared/domain/ingest/plausibility";
import type { ApiDeps } from "./deps";
import authPlugin from "./plugins/auth";
import errorsPlugin from "./plugins/errors";
import jsonBodyPlugin from "./plugins/json-body";
import openapiPlugin from "./plugins/openapi";
import ingestPlugin from "./plugins/ingest";
import metricsPlugin from "./plugins/metrics";
import rateLimitPlugin from "./plugins/rate-limit";
import queueBoardPlugin from "./plugins/queue-board";
import healthRoutes from "./routes/health";
import itemRoutes from "./routes/items";
import webhookRoutes from "./routes/webhooks";
import trendRoutes from "./routes/trends";
import searchRoutes from "./routes/searches";
import termRoutes from "./routes/terms";
import { makeSearchesRepo } from "../shared/db/searches-repo";
import { makeRollupsRepo } from "../shared/db/rollups-repo";
import workspaceRoutes from "./routes/workspace";
import sessionRoutes from "./routes/session";
import keyRoutes from "./routes/keys";
import browseItemRoutes from "./routes/items/browse";
import dashboardPlugin, { dashboardDir } from "./plugins/dashboard";
import customerRoutes from "./routes/customers";
import { makeCustomersRepo } from "../shared/db/customers-repo";
import { makeFollowUpsRepo } from "../shared/db/follow-ups-repo";
import followUpRoutes from "./routes/follow-ups";
import churnRoutes from "./routes/churn";
import alertRoutes from "./routes/alerts";
import { makeAlertRulesRepo } from "../shared/db/alert-rules-repo";
import { makeAlertsRepo } from "../shared/db/alerts-repo";
import { makeEnqueueHealth } from "../shared/queues/enqueue-health";

export interface BuildAppOptions {
  logger?: FastifyServerOptions["logger"];
  /** where the built dashboard is; default: web/dist beside the code; null: not served */
  dashboardDir?: string | null;
}

export async function buildApp(deps: ApiDeps, opts: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    // Slow or stalled clients (a Content-Length never fulfilled, headers never finished) must not
    // hold sockets: the whole request within REQUEST_TIMEOUT_MS, headers within 10 s. Node checks
    // these deadlines every connectionsCheckingInterval (30 s by default), so check more often.
    requestTimeout: deps.config.REQUEST_TIMEOUT_MS,
    // A socket silent in both directions for 2 minutes is closed: longer than any answer takes to
    // start, far shorter than Node's default of never.
    connectionTimeout: 120_000,
    // Idle keep-alive sockets: longer than the 60 s idle timeout of common load balancers, so the
    // balancer closes first and never sends a request on a socket this server has just closed.
    keepAliveTimeout: 72_000,
    http: {
      headersTimeout: Math.min(10_000, deps.config.REQUEST_TIMEOUT_MS),
      connectionsCheckingInterval: Math.min(5_000, Math.ceil(deps.config.REQUEST_TIMEOUT_MS / 4)),
    },
    // Request ids in logs; a caller's X-Request-Id is kept for correlation.
    requestIdHeader: "x-request-id",
    // Behind a reverse proxy, the client's address (per-address rate limits) comes from X-Forwarded-For.
    trustProxy: deps.config.TRUST_PROXY,
  });
  const now = deps.now ?? (() => new Date());
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(errorsPlugin, { bodyLimitBytes: deps.config.BODY_LIMIT_BYTES });
  await app.register(jsonBodyPlugin);
  await app.register(openapiPlugin, { ui: deps.config.DOCS_ENABLED });
  await app.register(rateLimitPlugin, {
    redis: deps.redis,
    prefix: deps.config.QUEUE_PREFIX,
    windowMs: deps.config.RATE_LIMIT_WINDOW_MS,
    perKey: deps.config.RATE_LIMIT_PER_KEY,
    perAddress: deps.config.RATE_LIMIT_PER_ADDRESS,
  });
  const apiKeys = withKeyCache(makeApiKeysRepo(deps.cols, now), deps.config.AUTH_CACHE_MS);
  const sessions = makeSessionsRepo(deps.cols, now);
  await app.register(authPlugin, {
    apiKeys,
    sessions,
    usage: makeKeyUsageTracker(apiKeys, { now, onError: (err) => app.log.warn({ err }, "could not record an API key's last use") }),
    sessionSecret: await sessionSecretOf(deps.cols, deps.config.SESSION_SECRET),
    sessionTtlMs: deps.config.SESSION_TTL_MS,
    now,
  });
  await app.register(sessionRoutes, { apiKeys, sessions, ttlMs: deps.config.SESSION_TTL_MS, now });
  await app.register(keyRoutes, { apiKeys, authCacheMs: deps.config.AUTH_CACHE_MS, now });

  const enqueueHealth = makeEnqueueHealth(now);
  await app.register(metricsPlugin, { cols: deps.cols, queues: deps.queues, enqueueHealth, now });
  await app.register(queueBoardPlugin, { queues: deps.queues });
  const followUps = makeFollowUpsRepo(deps.cols.items, deps.cols.followUpPolicies);
  await app.register(ingestPlugin, {
    items: deps.cols.items,
    redis: deps.redis,
    queues: deps.queues,
    enqueueHealth,
    flushMs: deps.config.INGEST_FLUSH_MS,
    writeTimeoutMs: deps.config.INGEST_WRITE_TIMEOUT_MS,
    now,
    followUps,
  });

  await app.register(healthRoutes, { ...deps, enqueueHealth });
  const timeWindow = (): TimeWindow => ({
    nowMs: now().getTime(),
    oldestMs: Date.parse(deps.config.OLDEST_TIMESTAMP),
    maxFutureMs: deps.config.MAX_FUTURE_SKEW_MS,
  });
  await app.register(itemRoutes, { timeWindow });
  const secretKey = deps.secretKey ?? loadSecretKey({ secretKey: deps.config.SECRET_KEY, file: deps.config.SECRET_KEY_FILE });
  await app.register(webhookRoutes, {
    secrets: withSecretCache(makeWebhookSecretsRepo(deps.cols, secretKey, now), deps.config.AUTH_CACHE_MS),
    timeWindow,
    now,
  });
  const rollups = makeRollupsRepo(deps.cols);
  const searches = makeSearchesRepo(deps.db, now);
  const customers = makeCustomersRepo(deps.cols.customers, deps.cols.items);
  await app.register(trendRoutes, { rollups, customers, followUps, now });
  await app.register(searchRoutes, {
    searches,
    rollups,
    cols: deps.cols,
    redis: deps.redis,
    queues: deps.queues,
    queuePrefix: deps.config.QUEUE_PREFIX,
    maxSearches: deps.config.MAX_SEARCHES_PER_WORKSPACE,
    now,
  });
  await app.register(termRoutes, { cols: deps.cols, now });
  await app.register(browseItemRoutes, { cols: deps.cols, searches, now });
  await app.register(workspaceRoutes, { cols: deps.cols });
  await app.register(customerRoutes, { customers, timeWindow, now });
  await app.register(churnRoutes, { customers, searches, now });
  await app.register(followUpRoutes, { followUps, now, maxFutureSkewMs: deps.config.MAX_FUTURE_SKEW_MS });
  await app.register(alertRoutes, {
    rules: makeAlertRulesRepo(deps.db, secretKey, now),
    alerts: makeAlertsRepo(deps.db),
    searches,
    maxRules: deps.config.MAX_ALERT_RULES_PER_WORKSPACE,
    requireHttps: deps.config.NODE_ENV === "production",
    now,
  });
  await app.register(dashboardPlugin, { dir: opts.dashboardDir === undefined ? dashboardDir() : opts.dashboardDir });
  return app;
}
