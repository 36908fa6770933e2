/**
 * Secrets never reach the logs: API keys (Authorization), webhook secrets (request bodies) and
 * webhook signatures, at the most verbose level and even when a serializer logs every header.
 */
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../../api/app";
import { signGeneric } from "../../../shared/domain/webhooks";
import { makeApiKeysRepo } from "../../../shared/db/api-keys-repo";
import { loggerOptions } from "../../../shared/logger";
import { makeProducerConnection, waitForReady } from "../../../shared/queues/connection";
import { makeQueues } from "../../../shared/queues/producers";
import { openTestMongo, randomId, testConfig, type TestMongo } from "../../support/stores";

const SECRET = "webhook-secret-that-must-not-leak";
let lines: string[] = [];
let app: FastifyInstance;
let mongo: TestMongo;
let closeAll: () => Promise<void>;

beforeAll(async () => {
  const config = testConfig();
  mongo = await openTestMongo(config);
  const redis = makeProducerConnection(config.REDIS_URL!);
  await waitForReady(redis);
  const queues = makeQueues(redis, config.QUEUE_PREFIX);
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  app = await buildApp(
    { config, db: mongo.db, cols: mongo.cols, redis, queues },
    {
      logger: {
        ...loggerOptions("trace", "api", false),
        stream,
        // Logs every header, as a debugging serializer might: redaction must still hold.
        serializers: { req: (req: { method: string; url: string; headers: unknown }) => ({ method: req.method, url: req.url, headers: req.headers }) },
      } as never,
    },
  );
  await app.ready();
  closeAll = async () => {
    await app.close();
    await queues.close();
    redis.disconnect();
    await mongo.close();
  };
});
afterAll(async () => closeAll?.());

describe("log redaction", () => {
  it("keeps keys, webhook secrets and signatures out of every log line", async () => {
    const ws = randomId("ws");
    const { key } = await makeApiKeysRepo(mongo.cols).create(ws, ["admin"]);
    lines = [];
    const put = await app.inject({
      method: "PUT", url: "/v1/webhooks/generic/secret", headers: { authorization: `Bearer ${key}` }, payload: { secret: SECRET },
    });
    expect(put.statusCode).toBe(204);
    const body = JSON.stringify({ tickets: [{ externalId: "x1", status: "open", channel: "chat", createdAt: "2026-03-02T10:00:00Z" }] });
    const signature = signGeneric(SECRET, body, Math.floor(Date.now() / 1000));
    await app.inject({
      method: "POST", url: `/v1/webhooks/generic/${ws}`, payload: body,
      headers: { "content-type": "application/json", "x-undercurrent-signature": signature },
    });
    await app.inject({ method: "GET", url: "/v1/workspace", headers: { authorization: `Bearer ${key}` } });
    await app.inject({ method: "GET", url: "/v1/workspace", headers: { authorization: "Bearer uc_wrong_key_that_is_not_stored" } });

    const log = lines.join("");
    expect(lines.length).toBeGreaterThan(6); // requests were logged, headers included
    expect(log).toContain("[redacted]");
    expect(log).not.toContain(key);
    expect(log).not.toContain(SECRET);
    expect(log).not.toContain(signature.split("v1=")[1]!);
    expect(log).not.toContain("uc_wrong_key_that_is_not_stored");
  });
});
