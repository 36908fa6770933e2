/** Bull Board at /admin/queues: the queues for admins (bearer or dashboard session), 401/403 for anyone else. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUES } from "../../../shared/queues/names";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";

let t: TestApi;
beforeAll(async () => {
  t = await makeTestApi();
});
afterAll(async () => t?.close());

async function sessionOf(scopes: Parameters<TestApi["bearer"]>[1]) {
  const key = (await t.bearer(randomId("ws"), scopes)).slice("Bearer ".length);
  const res = await t.app.inject({ method: "POST", url: "/v1/session", payload: { key } });
  return String(res.headers["set-cookie"]).split(";")[0]!;
}

describe("queue board", () => {
  it("shows an admin the board and every queue with its job counts", async () => {
    const admin = await t.bearer(randomId("ws"), ["admin"]);
    const page = await t.app.inject({ method: "GET", url: "/admin/queues", headers: { authorization: admin } });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/text\/html/);
    const api = await t.app.inject({ method: "GET", url: "/admin/queues/api/queues", headers: { authorization: admin } });
    expect(api.statusCode).toBe(200);
    const names = (api.json().queues as { name: string }[]).map((q) => q.name).sort();
    expect(names).toEqual(Object.values(QUEUES).sort());
  });

  it("refuses a key without the admin scope with 403, and no credentials with 401", async () => {
    for (const scopes of [["read"], ["ingest", "read", "searches"]] as const) {
      const key = await t.bearer(randomId("ws"), [...scopes]);
      for (const url of ["/admin/queues", "/admin/queues/api/queues"]) {
        const res = await t.app.inject({ method: "GET", url, headers: { authorization: key } });
        expect(res.statusCode, `${scopes} ${url}`).toBe(403);
        expect(res.json()).toMatchObject({ error: "forbidden", message: expect.stringMatching(/admin/) });
      }
      const retry = await t.app.inject({ method: "PUT", url: `/admin/queues/api/queues/${QUEUES.enrichItems}/retry/failed`, headers: { authorization: key } });
      expect(retry.statusCode).toBe(403);
    }
    const anonymous = await t.app.inject({ method: "GET", url: "/admin/queues" });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error).toBe("unauthorized");
  });

  it("opens for an admin's dashboard session, and refuses a non-admin session with 403", async () => {
    expect((await t.app.inject({ method: "GET", url: "/admin/queues", headers: { cookie: await sessionOf(["admin"]) } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: "GET", url: "/admin/queues", headers: { cookie: await sessionOf(["read"]) } })).statusCode).toBe(403);
  });

  it("takes a change made with the session cookie only from this origin's own page", async () => {
    const cookie = await sessionOf(["admin"]);
    const url = `/admin/queues/api/queues/${QUEUES.enrichItems}/pause`;
    const crossSite = await t.app.inject({ method: "PUT", url, headers: { cookie, "sec-fetch-site": "cross-site" } });
    expect(crossSite.statusCode).toBe(403);
    expect((await t.app.inject({ method: "PUT", url, headers: { cookie } })).statusCode).toBe(403);
    const own = await t.app.inject({ method: "PUT", url, headers: { cookie, "sec-fetch-site": "same-origin" } });
    expect(own.statusCode).toBe(200);
    expect(await t.queues.partitions[0]!.enrichItems.isPaused()).toBe(true);
    await t.queues.partitions[0]!.enrichItems.resume();
  });
});
