/**
 * Webhook secrets are sealed at rest, cleartext ones from earlier versions are sealed on first
 * use, and a delivery for a workspace without a secret is refused before its body is read.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signGeneric } from "../../../shared/domain/webhooks";
import { makeProducerConnection } from "../../../shared/queues/connection";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";

const SECRET = "a-webhook-secret-nobody-may-read";
let t: TestApi;
beforeAll(async () => {
  t = await makeTestApi({ AUTH_CACHE_MS: "0" });
});
afterAll(async () => t?.close());

async function deliver(ws: string, secret: string) {
  const body = JSON.stringify({ tickets: [{ externalId: randomId("x"), status: "open", channel: "chat", createdAt: "2026-03-02T10:00:00Z" }] });
  return t.app.inject({
    method: "POST", url: `/v1/webhooks/generic/${ws}`, payload: body,
    headers: { "content-type": "application/json", "x-undercurrent-signature": signGeneric(secret, body, Math.floor(Date.now() / 1000)) },
  });
}

describe("webhook secrets at rest", () => {
  it("stores the secret sealed: the document does not contain it, deliveries still verify", async () => {
    const ws = randomId("ws");
    const put = await t.app.inject({
      method: "PUT", url: "/v1/webhooks/generic/secret", headers: { authorization: await t.bearer(ws, ["admin"]) }, payload: { secret: SECRET },
    });
    expect(put.statusCode).toBe(204);
    const doc = await t.mongo.cols.webhookSecrets.findOne({ workspace: ws });
    expect(doc).not.toBeNull();
    expect(JSON.stringify(doc)).not.toContain(SECRET);
    expect(doc!.sealed?.v).toBe(1);
    expect((await deliver(ws, SECRET)).statusCode).toBe(202);
    expect((await deliver(ws, "another-secret-of-some-length")).statusCode).toBe(401);
  });

  it("seals a cleartext secret left by an earlier version when it is first used", async () => {
    const ws = randomId("ws");
    await t.mongo.cols.webhookSecrets.insertOne({ _id: `${ws}|generic`, workspace: ws, provider: "generic", secret: SECRET, updatedAt: new Date() });
    expect((await deliver(ws, SECRET)).statusCode).toBe(202);
    const doc = await t.mongo.cols.webhookSecrets.findOne({ _id: `${ws}|generic` });
    expect(JSON.stringify(doc)).not.toContain(SECRET);
    expect((await deliver(ws, SECRET)).statusCode).toBe(202);
  });

  it("refuses a delivery for a workspace without a secret before reading its body", async () => {
    const url = await t.app.listen({ port: 0, host: "127.0.0.1" });
    const port = Number(new URL(url).port);
    // Announces a megabyte and sends none of it: only an answer given before the body can come.
    const answer = await new Promise<string>((resolve, reject) => {
      let got = "";
      const sock = connect(port, "127.0.0.1", () =>
        sock.write(`POST /v1/webhooks/generic/${randomId("ws")} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n`),
      );
      sock.on("data", (b) => {
        got += b.toString();
        if (got.includes("\r\n\r\n")) {
          sock.destroy();
          resolve(got);
        }
      });
      sock.on("error", reject);
      setTimeout(() => reject(new Error("no answer before the body")), 5_000).unref();
    });
    expect(answer).toMatch(/^HTTP\/1\.1 401/);
  });
});

describe("secrets rotate", () => {
  it("re-seals every secret under the new key; the API opens them once it uses that key", async () => {
    const { rotateSecretKey } = await import("../../../cli/secrets");
    const { newSecretKeyText } = await import("../../../shared/crypto/secret-box");
    const ws = randomId("ws");
    await t.app.inject({
      method: "PUT", url: "/v1/webhooks/generic/secret", headers: { authorization: await t.bearer(ws, ["admin"]) }, payload: { secret: SECRET },
    });
    const newKey = newSecretKeyText();
    expect(await rotateSecretKey(t.mongo.db, t.config, newKey)).toMatch(/Re-sealed \d+ webhook secret/);
    // the running API still has the old key: it can no longer open the secret (500, not a wrong 401)
    expect((await deliver(ws, SECRET)).statusCode).toBe(500);
    // a second API over the same database, started with the new key
    const { buildApp } = await import("../../../api/app");
    const { parseSecretKey } = await import("../../../shared/crypto/secret-box");
    const redis = makeProducerConnection(t.config.REDIS_URL!);
    const after = await buildApp({
      config: t.config, db: t.mongo.db, cols: t.mongo.cols, redis, queues: t.queues, secretKey: parseSecretKey(newKey, "new key"),
    });
    try {
      const body = JSON.stringify({ tickets: [{ externalId: randomId("x"), status: "open", channel: "chat", createdAt: "2026-03-02T10:00:00Z" }] });
      const res = await after.inject({
        method: "POST", url: `/v1/webhooks/generic/${ws}`, payload: body,
        headers: { "content-type": "application/json", "x-undercurrent-signature": signGeneric(SECRET, body, Math.floor(Date.now() / 1000)) },
      });
      expect(res.statusCode).toBe(202);
    } finally {
      await after.close();
      redis.disconnect();
    }
  });
});
