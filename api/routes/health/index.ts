import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { ApiDeps } from "../../deps";
import type { EnqueueHealth } from "../../../shared/queues/enqueue-health";

const checkSchema = z.object({ ok: z.boolean(), error: z.string().optional() });
const readySchema = z.object({ ready: z.boolean(), mongo: checkSchema, redis: checkSchema, queues: checkSchema });

/**
 * Liveness and readiness: /healthz says the process runs, /readyz that both stores answer and that
 * jobs can be enqueued — every enrichment queue answers a command over its own keys (on a Redis
 * Cluster that is the slot the partition lives on; a wrong prefix fails here with CROSSSLOT or
 * MOVED), and the latest enqueue of accepted items did not fail (see enqueue-health.ts).
 */
export default async function healthRoutes(
  app: FastifyInstance,
  deps: Pick<ApiDeps, "db" | "redis" | "queues"> & { enqueueHealth: EnqueueHealth },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    "/healthz",
    // Orchestrators probe these often and from one address: never rate limited
    { config: { rateLimit: false }, schema: { tags: ["health"], security: [], response: { 200: z.object({ ok: z.literal(true) }) } } },
    async () => ({ ok: true as const }),
  );
  r.get(
    "/readyz",
    { config: { rateLimit: false }, schema: { tags: ["health"], security: [], response: { 200: readySchema, 503: readySchema } } },
    async (_req, reply) => {
      const [mongo, redis, probe] = await Promise.all([
        check(() => deps.db.command({ ping: 1 })),
        check(() => deps.redis.ping()),
        check(() => Promise.all(deps.queues.partitions.map((p) => p.enrichItems.getJobCounts("waiting")))),
      ]);
      const failing = deps.enqueueHealth.failing();
      const queues = !probe.ok
        ? probe
        : failing
          ? { ok: false, error: `enqueue of ${failing.items} accepted items failed at ${failing.at.toISOString()} (${failing.error}); they stay pending until the sweeper re-enqueues them` }
          : probe;
      const ready = mongo.ok && redis.ok && queues.ok;
      return reply.code(ready ? 200 : 503).send({ ready, mongo, redis, queues });
    },
  );
}

async function check(fn: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  try {
    await withTimeout(fn(), 3_000);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]);
}
