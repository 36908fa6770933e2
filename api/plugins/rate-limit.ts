/**
 * Rate limits with @fastify/rate-limit and its Redis store, so every API process counts against
 * the same budget. Each request counts once:
 * - authenticated (bearer key or dashboard session): against its key, RATE_LIMIT_PER_KEY;
 * - anything else (webhook deliveries, sign-in, pages, and requests whose credentials fail):
 *   against the client's address, RATE_LIMIT_PER_ADDRESS.
 *
 * The check runs in `preParsing`: after the routes' `onRequest` authentication (so the key is
 * known) and before the body is read (so a refused upload costs no parsing). A request refused by
 * authentication never reaches `preParsing`; `refuseCredentials` counts it against its address and
 * answers 429 instead of 401 once the address is over its budget.
 *
 * When Redis does not answer, requests are let through (skipOnError): ingestion answers 503 on its
 * own then, and reads should not fail because the limiter's store is away.
 */
import fp from "fastify-plugin";
import rateLimit, { type RateLimitPluginOptions } from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Redis } from "ioredis";
import type { RedisClient } from "../../shared/queues/connection";
import { RateLimitedError, type AppError } from "../../shared/errors";

export interface RateLimitOptions {
  redis: RedisClient;
  /** QUEUE_PREFIX, so deployments (and test runs) sharing a Redis keep separate counters */
  prefix: string;
  windowMs: number;
  /** 0 = no limit */
  perKey: number;
  /** 0 = no limit */
  perAddress: number;
}

declare module "fastify" {
  interface FastifyInstance {
    /**
     * Counts a request refused by authentication (against its key when `req.auth` is set, else its
     * address) and returns the error to throw: `refused` itself, or a 429 once over the budget.
     */
    refuseCredentials(req: FastifyRequest, reply: FastifyReply, refused: AppError): Promise<AppError>;
  }
}

export default fp(
  async function rateLimitPlugin(app: FastifyInstance, opts: RateLimitOptions) {
    const limitOf = (req: FastifyRequest) => (req.auth ? opts.perKey : opts.perAddress);
    const settings: RateLimitPluginOptions = {
      global: true,
      hook: "preParsing",
      // The store's script reads and writes one key per call, so an ioredis Cluster serves it as
      // well; the plugin's type names only the single-node client.
      redis: opts.redis as Redis,
      nameSpace: `${opts.prefix}:rate-limit:`,
      timeWindow: opts.windowMs,
      max: (req) => limitOf(req),
      allowList: (req) => limitOf(req) === 0,
      // The key's stored hash (never the key); an address otherwise.
      keyGenerator: (req) => (req.auth ? `key:${req.auth.keyHash}` : `address:${req.ip}`),
      skipOnError: true,
      errorResponseBuilder: (req, ctx) =>
        new RateLimitedError(
          `too many requests for this ${req.auth ? "API key" : "address"}: at most ${ctx.max} per ${opts.windowMs / 1000} s (${
            req.auth ? "RATE_LIMIT_PER_KEY" : "RATE_LIMIT_PER_ADDRESS"
          }); retry in ${Math.ceil(ctx.ttl / 1000)} s`,
          Math.ceil(ctx.ttl / 1000),
        ),
    };
    await app.register(rateLimit, settings);
    const countRefusal = app.createRateLimit();

    app.decorate("refuseCredentials", async (req: FastifyRequest, reply: FastifyReply, refused: AppError): Promise<AppError> => {
      if (limitOf(req) === 0) return refused;
      const state = await countRefusal(req);
      if (state.isAllowed || !state.isExceeded) return refused;
      reply.header("retry-after", state.ttlInSeconds);
      return new RateLimitedError(
        req.auth
          ? `too many requests for this API key: at most ${state.max} per ${opts.windowMs / 1000} s (RATE_LIMIT_PER_KEY); retry in ${state.ttlInSeconds} s`
          : `too many requests without valid credentials from this address: at most ${state.max} per ${opts.windowMs / 1000} s (RATE_LIMIT_PER_ADDRESS); retry in ${state.ttlInSeconds} s`,
        state.ttlInSeconds,
      );
    });
  },
  { name: "rate-limit" },
);
