import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeApiKeysRepo } from "../../../shared/db/api-keys-repo";
import { makeSessionsRepo } from "../../../shared/db/sessions-repo";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";

let t: TestApi;
beforeAll(async () => {
  t = await makeTestApi();
});
afterAll(async () => t?.close());

/** Creates a key, signs in with it and returns the cookie header and CSRF token of the session. */
async function signIn(workspace: string, scopes: Parameters<TestApi["bearer"]>[1]) {
  const key = (await t.bearer(workspace, scopes)).slice("Bearer ".length);
  const res = await t.app.inject({ method: "POST", url: "/v1/session", payload: { key } });
  expect(res.statusCode).toBe(200);
  const setCookie = String(res.headers["set-cookie"]);
  const cookie = setCookie.split(";")[0]!;
  return { key, cookie, setCookie, body: res.json() as { workspace: string; scopes: string[]; csrfToken: string; expiresAt: string } };
}

describe("dashboard sessions", () => {
  it("trade a key for an HttpOnly, SameSite=Strict, signed, expiring cookie; the key is not sent back", async () => {
    const ws = randomId("ws");
    const { key, setCookie, body } = await signIn(ws, ["read"]);
    expect(setCookie).toMatch(/^uc_session=[A-Za-z0-9_-]{43}\.[^;]+;/); // id + HMAC signature
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Max-Age=43200/);
    expect(body).toMatchObject({ workspace: ws, scopes: ["read"] });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(body)).not.toContain(key);
    expect(setCookie).not.toContain(key);
  });

  it("refuse a wrong key", async () => {
    const res = await t.app.inject({ method: "POST", url: "/v1/session", payload: { key: `uc_${"B".repeat(43)}` } });
    expect(res.statusCode).toBe(401);
    expect(res.headers["set-cookie"]).toBeUndefined();
  });

  it("authenticate the dashboard's GET routes with the key's workspace and scopes", async () => {
    const ws = randomId("ws");
    const { cookie } = await signIn(ws, ["read"]);
    const res = await t.app.inject({ method: "GET", url: "/v1/workspace", headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ workspace: ws, scopes: ["read"] });
    const who = await t.app.inject({ method: "GET", url: "/v1/session", headers: { cookie } });
    expect(who.json()).toMatchObject({ workspace: ws, scopes: ["read"] });
  });

  it("need the CSRF token for a change, and keep the key's scopes", async () => {
    const ws = randomId("ws");
    const { cookie, body } = await signIn(ws, ["read", "searches"]);
    const search = { name: "refunds", query: "refund" };
    const noToken = await t.app.inject({ method: "POST", url: "/v1/searches", headers: { cookie }, payload: search });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().message).toMatch(/X-CSRF-Token/);
    const wrongToken = await t.app.inject({
      method: "POST", url: "/v1/searches", headers: { cookie, "x-csrf-token": "x".repeat(43) }, payload: search,
    });
    expect(wrongToken.statusCode).toBe(403);
    const ok = await t.app.inject({ method: "POST", url: "/v1/searches", headers: { cookie, "x-csrf-token": body.csrfToken }, payload: search });
    expect(ok.statusCode).toBe(201);
    // the key has no ingest scope, so neither has its session
    const ingest = await t.app.inject({
      method: "POST", url: "/v1/tickets", headers: { cookie, "x-csrf-token": body.csrfToken },
      payload: { externalId: "t1", createdAt: new Date().toISOString(), subject: "hi", channel: "email" },
    });
    expect(ingest.statusCode).toBe(403);
    expect(ingest.json().message).toMatch(/session's key lacks the "ingest" scope/);
  });

  it("are refused where the dashboard does not go (operators' /metrics)", async () => {
    const { cookie } = await signIn(randomId("ws"), ["admin"]);
    const res = await t.app.inject({ method: "GET", url: "/metrics", headers: { cookie } });
    expect(res.statusCode).toBe(401);
  });

  it("refuse a cookie whose signature does not match", async () => {
    const { cookie } = await signIn(randomId("ws"), ["read"]);
    const forged = cookie.replace(/\.[^.]+$/, ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    expect(forged).not.toBe(cookie);
    const res = await t.app.inject({ method: "GET", url: "/v1/workspace", headers: { cookie: forged } });
    expect(res.statusCode).toBe(401);
  });

  it("end on the server at sign-out: the same cookie is refused afterwards", async () => {
    const { cookie, body } = await signIn(randomId("ws"), ["read"]);
    const out = await t.app.inject({ method: "DELETE", url: "/v1/session", headers: { cookie, "x-csrf-token": body.csrfToken } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers["set-cookie"])).toMatch(/uc_session=;/);
    const after = await t.app.inject({ method: "GET", url: "/v1/workspace", headers: { cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.json().message).toMatch(/session has ended/);
  });

  it("expire after SESSION_TTL_MS", async () => {
    let nowMs = Date.parse("2026-01-01T00:00:00Z");
    const sessions = makeSessionsRepo(t.mongo.cols, () => new Date(nowMs));
    const { id } = await sessions.create({ workspace: "w", scopes: ["read"], keyHash: "h" }, 60_000);
    expect(await sessions.get(id)).not.toBeNull();
    nowMs += 60_001;
    expect(await sessions.get(id)).toBeNull();
  });
});

describe("API keys", () => {
  it("list name, scopes, created and last-used times, never the key or its hash", async () => {
    const ws = randomId("ws");
    const admin = await t.bearer(ws, ["admin"]);
    const readKey = (await t.bearer(ws, ["read"])).slice("Bearer ".length);
    await t.app.inject({ method: "GET", url: "/v1/workspace", headers: { authorization: `Bearer ${readKey}` } });
    const res = await t.app.inject({ method: "GET", url: "/v1/keys", headers: { authorization: admin } });
    expect(res.statusCode).toBe(200);
    const keys = res.json().keys as { id: string; scopes: string[]; lastUsedAt: string | null; prefix: string }[];
    expect(keys).toHaveLength(2);
    const read = keys.find((k) => k.scopes.join() === "read")!;
    expect(read.id).toMatch(/^k[0-9a-f]{16}$/);
    expect(read.prefix).toBe(readKey.slice(0, read.prefix.length));
    // the use is written without waiting for it; give it a moment
    await expect.poll(async () => (await t.app.inject({ method: "GET", url: "/v1/keys", headers: { authorization: admin } })).json().keys.find((k: { id: string }) => k.id === read.id).lastUsedAt).not.toBeNull();
    expect(res.body).not.toContain(readKey);
    const stored = await t.mongo.cols.apiKeys.find({ workspace: ws }).toArray();
    for (const doc of stored) expect(res.body).not.toContain(doc._id);
  });

  it("create a key (shown once) and revoke it: refused at once, its sessions ended", async () => {
    const ws = randomId("ws");
    const admin = await t.bearer(ws, ["admin"]);
    const created = await t.app.inject({ method: "POST", url: "/v1/keys", headers: { authorization: admin }, payload: { name: "dash", scopes: ["read"] } });
    expect(created.statusCode).toBe(201);
    const { id, key } = created.json() as { id: string; key: string };
    const session = await t.app.inject({ method: "POST", url: "/v1/session", payload: { key } });
    const cookie = String(session.headers["set-cookie"]).split(";")[0]!;
    expect((await t.app.inject({ method: "GET", url: "/v1/workspace", headers: { cookie } })).statusCode).toBe(200);

    const revoked = await t.app.inject({ method: "DELETE", url: `/v1/keys/${id}`, headers: { authorization: admin } });
    expect(revoked.statusCode).toBe(204);
    expect((await t.app.inject({ method: "GET", url: "/v1/workspace", headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: "GET", url: "/v1/workspace", headers: { cookie } })).statusCode).toBe(401);
    const listed = (await t.app.inject({ method: "GET", url: "/v1/keys", headers: { authorization: admin } })).json().keys;
    expect(listed.find((k: { id: string }) => k.id === id).revokedAt).not.toBeNull();
  });

  it("are admin-only, and a key of another workspace cannot be revoked", async () => {
    const ws = randomId("ws");
    const other = await t.app.inject({
      method: "POST", url: "/v1/keys", headers: { authorization: await t.bearer(randomId("ws"), ["admin"]) }, payload: { name: "x", scopes: ["read"] },
    });
    const admin = await t.bearer(ws, ["admin"]);
    const res = await t.app.inject({ method: "DELETE", url: `/v1/keys/${other.json().id}`, headers: { authorization: admin } });
    expect(res.statusCode).toBe(404);
    const reader = await t.bearer(ws, ["read"]);
    expect((await t.app.inject({ method: "GET", url: "/v1/keys", headers: { authorization: reader } })).statusCode).toBe(403);
    const bad = await t.app.inject({ method: "POST", url: "/v1/keys", headers: { authorization: admin }, payload: { name: "x", scopes: ["everything"] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/scopes/);
  });

  it("may expire: refused afterwards with a 401 that says so, and a session never outlives its key", async () => {
    // The app's own clock, moved by hand: no sleeping, and no race with a loaded machine.
    let clockMs = Date.now();
    const c = await makeTestApi({}, { now: () => new Date(clockMs) });
    try {
      const admin = await c.bearer(randomId("ws"), ["admin"]);
      const expiresAt = new Date(clockMs + 60_000).toISOString();
      const created = await c.app.inject({ method: "POST", url: "/v1/keys", headers: { authorization: admin }, payload: { name: "temp", scopes: ["read"], expiresAt } });
      expect(created.statusCode).toBe(201);
      expect(created.json().expiresAt).toBe(expiresAt);
      const { id, key } = created.json() as { id: string; key: string };
      const session = await c.app.inject({ method: "POST", url: "/v1/session", payload: { key } });
      expect(session.json().expiresAt).toBe(expiresAt);
      const cookie = String(session.headers["set-cookie"]).split(";")[0]!;
      expect((await c.app.inject({ method: "GET", url: "/v1/workspace", headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(200);

      clockMs = Date.parse(expiresAt);
      const refused = await c.app.inject({ method: "GET", url: "/v1/workspace", headers: { authorization: `Bearer ${key}` } });
      expect(refused.statusCode).toBe(401);
      expect(refused.json().message).toBe(`this API key expired at ${expiresAt}; create a new one`);
      expect((await c.app.inject({ method: "GET", url: "/v1/workspace", headers: { cookie } })).statusCode).toBe(401);
      const signIn = await c.app.inject({ method: "POST", url: "/v1/session", payload: { key } });
      expect(signIn.statusCode).toBe(401);
      expect(signIn.json().message).toMatch(/expired/);
      const listed = (await c.app.inject({ method: "GET", url: "/v1/keys", headers: { authorization: admin } })).json().keys;
      expect(listed.find((k: { id: string }) => k.id === id)).toMatchObject({ expiresAt, revokedAt: null });
    } finally {
      await c.close();
    }
  });

  it("refuse an expiry in the past, naming the field", async () => {
    const admin = await t.bearer(randomId("ws"), ["admin"]);
    const res = await t.app.inject({
      method: "POST", url: "/v1/keys", headers: { authorization: admin }, payload: { name: "x", scopes: ["read"], expiresAt: "2020-01-01T00:00:00Z" },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues).toEqual([{ path: "body.expiresAt", message: "must be in the future" }]);
  });

  it("give keys made before public ids existed an id when listed", async () => {
    const ws = randomId("ws");
    const repo = makeApiKeysRepo(t.mongo.cols);
    const created = await repo.create(ws, ["read"]);
    await t.mongo.cols.apiKeys.updateOne({ workspace: ws }, { $unset: { id: "" } });
    const listed = await repo.list(ws);
    expect(listed[0]!.id).toMatch(/^k[0-9a-f]{16}$/);
    expect(listed[0]!.id).not.toBe(created.id);
    expect((await repo.list(ws))[0]!.id).toBe(listed[0]!.id);
  });
});

describe("authentication happens before the body is read", () => {
  it("answers 401, not a parse error, to an unauthenticated malformed body", async () => {
    const res = await t.app.inject({ method: "POST", url: "/v1/tickets", headers: { "content-type": "application/json" }, payload: "{not json" });
    expect(res.statusCode).toBe(401);
  });
});
