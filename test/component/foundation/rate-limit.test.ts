import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";

const PER_KEY = 5;
const PER_ADDRESS = 4;

let t: TestApi;
beforeAll(async () => {
  t = await makeTestApi({ RATE_LIMIT_PER_KEY: String(PER_KEY), RATE_LIMIT_PER_ADDRESS: String(PER_ADDRESS), RATE_LIMIT_WINDOW_MS: "60000" });
});
afterAll(async () => t?.close());

const workspace = (authorization: string, remoteAddress = "127.0.0.1") =>
  t.app.inject({ method: "GET", url: "/v1/workspace", headers: { authorization }, remoteAddress });

describe("rate limits (Redis store)", () => {
  it("a burst over the limit gets 429 with Retry-After while another key is unaffected", async () => {
    const ws = randomId("ws");
    const busy = await t.bearer(ws, ["read", "ingest"]);
    const other = await t.bearer(ws, ["read"]);
    const codes = [];
    for (let i = 0; i < PER_KEY + 3; i++) codes.push((await workspace(busy)).statusCode);
    expect(codes).toEqual([...Array(PER_KEY).fill(200), 429, 429, 429]);

    const refused = await workspace(busy);
    expect(refused.statusCode).toBe(429);
    const retryAfter = Number(refused.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.json()).toMatchObject({ error: "rate_limited", message: expect.stringMatching(/RATE_LIMIT_PER_KEY/) });

    // refused before the body is read: an oversized upload gets 429, not 413
    const upload = await t.app.inject({
      method: "POST",
      url: "/v1/tickets",
      headers: { authorization: busy, "content-type": "application/json" },
      payload: "x".repeat(t.config.BODY_LIMIT_BYTES + 1),
    });
    expect(upload.statusCode).toBe(429);

    // same workspace, same address, another key: its own budget
    expect((await workspace(other)).statusCode).toBe(200);
  });

  it("the limit is kept in Redis, so a second API process on the same Redis shares it", async () => {
    const second = await makeTestApi({ QUEUE_PREFIX: t.config.QUEUE_PREFIX, RATE_LIMIT_PER_KEY: String(PER_KEY) });
    try {
      const ws = randomId("ws");
      const key = await t.bearer(ws, ["read"]);
      // the same key in the second process's database (each test API has a database of its own)
      const stored = await t.mongo.cols.apiKeys.findOne({ workspace: ws });
      await second.mongo.cols.apiKeys.insertOne(stored!);
      for (let i = 0; i < PER_KEY; i++) expect((await workspace(key)).statusCode).toBe(200);
      const res = await second.app.inject({ method: "GET", url: "/v1/workspace", headers: { authorization: key } });
      expect(res.statusCode).toBe(429);
    } finally {
      await second.close();
    }
  });

  it("a dashboard session counts against the key it was signed in with", async () => {
    const ws = randomId("ws");
    const bearer = await t.bearer(ws, ["read"]);
    const signIn = await t.app.inject({ method: "POST", url: "/v1/session", payload: { key: bearer.slice("Bearer ".length) }, remoteAddress: "10.0.0.9" });
    expect(signIn.statusCode).toBe(200);
    const cookie = signIn.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
    for (let i = 0; i < PER_KEY; i++) expect((await workspace(bearer)).statusCode).toBe(200);
    const res = await t.app.inject({ method: "GET", url: "/v1/workspace", headers: { cookie } });
    expect(res.statusCode).toBe(429);
  });

  it("failed authentication counts per address: 401s turn into 429s, other addresses are unaffected", async () => {
    const codes = [];
    for (let i = 0; i < PER_ADDRESS + 2; i++) codes.push((await workspace(`Bearer uc_${"B".repeat(43)}`, "192.0.2.7")).statusCode);
    expect(codes).toEqual([...Array(PER_ADDRESS).fill(401), 429, 429]);
    const res = await workspace(`Bearer uc_${"B".repeat(43)}`, "192.0.2.7");
    expect(res.headers["retry-after"]).toBeDefined();
    expect(res.json().message).toMatch(/RATE_LIMIT_PER_ADDRESS/);
    expect((await workspace(`Bearer uc_${"B".repeat(43)}`, "192.0.2.8")).statusCode).toBe(401);
  });

  it("webhook deliveries count per address", async () => {
    const ws = randomId("ws");
    const deliver = () =>
      t.app.inject({
        method: "POST",
        url: `/v1/webhooks/generic/${ws}`,
        headers: { "content-type": "application/json" },
        payload: { tickets: [] },
        remoteAddress: "198.51.100.3",
      });
    const codes = [];
    for (let i = 0; i < PER_ADDRESS + 1; i++) codes.push((await deliver()).statusCode);
    // the workspace has no secret: 401 until the address is over its budget
    expect(codes).toEqual([...Array(PER_ADDRESS).fill(401), 429]);
  });

  it("health checks are never limited", async () => {
    for (let i = 0; i < PER_ADDRESS + 2; i++) {
      expect((await t.app.inject({ method: "GET", url: "/healthz", remoteAddress: "203.0.113.1" })).statusCode).toBe(200);
    }
  });
});

describe("rate limits with a limit of 0", () => {
  it("do not limit", async () => {
    const open = await makeTestApi({ RATE_LIMIT_PER_KEY: "0" });
    try {
      const key = await open.bearer(randomId("ws"), ["read"]);
      for (let i = 0; i < 20; i++) {
        const res = await open.app.inject({ method: "GET", url: "/v1/workspace", headers: { authorization: key } });
        expect(res.statusCode).toBe(200);
      }
    } finally {
      await open.close();
    }
  });
});
