import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";

let t: TestApi;
beforeAll(async () => {
  t = await makeTestApi();
});
afterAll(async () => t?.close());

describe("health", () => {
  it("/healthz answers without credentials", async () => {
    const res = await t.app.inject({ method: "GET", url: "/healthz" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
  });

  it("/readyz reports both stores and the queues up", async () => {
    const res = await t.app.inject({ method: "GET", url: "/readyz" });
    expect(res.json()).toEqual({ ready: true, mongo: { ok: true }, redis: { ok: true }, queues: { ok: true } });
    expect(res.statusCode).toBe(200);
  });
});

describe("authentication", () => {
  it("refuses a request without a key, naming the header", async () => {
    const res = await t.app.inject({ method: "GET", url: "/v1/workspace" });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: "unauthorized", message: expect.stringMatching(/Authorization: Bearer/) });
  });

  it("refuses an unknown key", async () => {
    const res = await t.app.inject({
      method: "GET",
      url: "/v1/workspace",
      headers: { authorization: `Bearer uc_${"A".repeat(43)}` },
    });
    expect(res.statusCode).toBe(401);
  });

  it("accepts a stored key and reports its workspace and scopes", async () => {
    const ws = randomId("ws");
    const res = await t.app.inject({
      method: "GET",
      url: "/v1/workspace",
      headers: { authorization: await t.bearer(ws, ["read"]) },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ workspace: ws, scopes: ["read"], dataSpan: { first: null, last: null }, processing: { enriching: 0, counting: 0 }, quarantined: { count: 0, items: [] } });
  });

  it("says when the workspace's earliest and latest items happened, whatever their kind, and nothing of other workspaces", async () => {
    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["read", "ingest"]);
    const post = async (path: string, items: unknown[]) => {
      const res = await t.app.inject({ method: "POST", url: path, headers: { authorization: auth }, payload: { items } });
      expect(res.statusCode, res.body).toBe(202);
    };
    // An imported history: the earliest item is a mention, the latest a survey answer.
    await post("/v1/tickets", [
      { externalId: "t1", channel: "email", status: "open", subject: "Refund", createdAt: "2015-02-17T08:00:00Z" },
      { externalId: "t2", channel: "chat", status: "open", subject: "Login", createdAt: "2015-02-20T12:00:00Z" },
    ]);
    await post("/v1/mentions", [{ externalId: "m1", platform: "twitter", text: "@airline late again", postedAt: "2015-02-16T23:59:00Z" }]);
    await post("/v1/surveys", [{ externalId: "s1", kind: "csat", score: 4, respondedAt: "2015-02-24T10:30:00Z" }]);
    const other = randomId("ws");
    const otherAuth = await t.bearer(other, ["ingest"]);
    const res0 = await t.app.inject({
      method: "POST", url: "/v1/tickets", headers: { authorization: otherAuth },
      payload: { externalId: "x1", channel: "email", status: "open", subject: "Other", createdAt: "2014-01-01T00:00:00Z" },
    });
    expect(res0.statusCode, res0.body).toBe(202);

    const res = await t.app.inject({ method: "GET", url: "/v1/workspace", headers: { authorization: auth } });
    expect(res.statusCode).toBe(200);
    expect(res.json().dataSpan).toEqual({ first: "2015-02-16T23:59:00.000Z", last: "2015-02-24T10:30:00.000Z" });
  });

  it("refuses a key without the route's scope with 403", async () => {
    const res = await t.app.inject({
      method: "GET",
      url: "/v1/workspace",
      headers: { authorization: await t.bearer(randomId("ws"), ["ingest"]) },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toMatch(/"read" scope/);
  });

  it("stores only a hash of the key", async () => {
    const ws = randomId("ws");
    const header = await t.bearer(ws, ["read"]);
    const key = header.slice("Bearer ".length);
    const docs = await t.mongo.cols.apiKeys.find({ workspace: ws }).toArray();
    expect(docs).toHaveLength(1);
    expect(JSON.stringify(docs)).not.toContain(key);
    expect(docs[0]!._id).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("errors and docs", () => {
  it("answers unknown routes with a 404 naming the route", async () => {
    const res = await t.app.inject({ method: "GET", url: "/v1/nope?x=1" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: "not_found", message: "no route GET /v1/nope" });
  });

  it("serves an OpenAPI document listing the routes", async () => {
    const res = await t.app.inject({ method: "GET", url: "/docs/json" });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/healthz", "/readyz", "/metrics", "/v1/workspace", "/v1/tickets", "/v1/mentions", "/v1/surveys",
        "/v1/webhooks/{provider}/secret", "/v1/webhooks/{provider}/{workspace}",
        "/v1/trends/summary", "/v1/trends/{metric}", "/v1/terms",
        "/v1/searches", "/v1/searches/{id}", "/v1/searches/{id}/trends/{metric}", "/v1/searches/{id}/items",
        "/v1/searches/{id}/compare", "/v1/searches/{id}/terms",
        "/v1/session", "/v1/keys", "/v1/keys/{id}", "/v1/items",
        "/v1/customers", "/v1/customers/{externalId}", "/v1/surveys/{id}/follow-up", "/v1/follow-ups", "/v1/follow-ups/policy",
        "/v1/churn/drivers",
        "/v1/alert-rules", "/v1/alert-rules/{id}", "/v1/alert-rules/{id}/snooze", "/v1/alerts", "/v1/alerts/{id}", "/v1/alerts/{id}/acknowledge", "/v1/alerts/{id}/snooze",
      ].sort(),
    );
    // request and response schemas are declared, e.g. the ticket body and its 202 answer
    const ingest = doc.paths["/v1/tickets"].post;
    expect(ingest.requestBody.content["application/json"].schema).toBeDefined();
    expect(ingest.responses["202"]).toBeDefined();
    // every /v1 route declares its error answers with the one error schema
    for (const code of ["400", "401", "403", "404", "413", "415", "429", "503"]) {
      const answer = doc.paths["/v1/trends/{metric}"].get.responses[code];
      expect(answer, code).toBeDefined();
      expect(answer.content["application/json"].schema.required).toEqual(["error", "message"]);
    }
  });
});
