/**
 * POST /v1/customers and GET /v1/customers/{id}: per-item errors, upsert by externalId versioned
 * by updatedAt (an older version arriving late changes no current field), reactivation as a
 * second spell (also when the cancellation arrives after the reactivation), items linked by
 * customer.id, and workspace isolation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";

let t: TestApi;
beforeAll(async () => {
  t = await makeTestApi();
});
afterAll(async () => t?.close());

async function post(auth: string, payload: unknown) {
  return t.app.inject({ method: "POST", url: "/v1/customers", headers: { authorization: auth }, payload: payload as object });
}
async function get(auth: string, id: string) {
  return t.app.inject({ method: "GET", url: `/v1/customers/${encodeURIComponent(id)}`, headers: { authorization: auth } });
}

describe("customers ingest", () => {
  it("accepts valid customers beside invalid ones, naming each bad field", async () => {
    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["ingest", "read"]);
    const res = await post(auth, {
      items: [
        { externalId: "c1", segment: "smb", startedAt: "2026-01-01T00:00:00Z" },
        { externalId: "c2", startedAt: "2026-01-05T00:00:00Z", cancelledAt: "2026-01-01T00:00:00Z" },
        { externalId: "c3", startedAt: "2026-01-01T00:00:00Z", monthlyRevenue: -5 },
        { externalId: "c4", startedAt: "1999-01-01T00:00:00Z" },
      ],
    });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body.accepted).toBe(1);
    expect(body.items).toEqual([{ index: 0, id: expect.any(String), status: "created" }]);
    const paths = body.errors.map((e: { index: number; issues: { path: string }[] }) => [e.index, e.issues[0]!.path]);
    expect(paths).toEqual([[1, "items.1.cancelledAt"], [2, "items.2.monthlyRevenue"], [3, "items.3.startedAt"]]);

    const single = await post(auth, { externalId: "c5", startedAt: "2026-01-01T00:00:00Z", tier: "gold" });
    expect(single.statusCode).toBe(400);
    expect(single.json().message).toMatch(/unknown field\(s\) "tier"/);
  });

  it("versions by updatedAt: a newer version replaces fields, an older or repeated one changes nothing", async () => {
    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["ingest", "read"]);
    const v1 = { externalId: "acme", plan: "basic", startedAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-01T00:00:00Z", monthlyRevenue: 100 };
    const v2 = { ...v1, plan: "pro", monthlyRevenue: 300, updatedAt: "2026-02-01T00:00:00Z" };
    expect((await post(auth, v1)).json().items[0].status).toBe("created");
    expect((await post(auth, v2)).json().items[0].status).toBe("updated");
    expect((await post(auth, v2)).json().items[0].status).toBe("unchanged");
    expect((await post(auth, { ...v1, plan: "stale" })).json().items[0].status).toBe("unchanged");
    const c = (await get(auth, "acme")).json();
    expect(c).toMatchObject({ plan: "pro", monthlyRevenue: 300, updatedAt: "2026-02-01T00:00:00.000Z", active: true });
    expect(c.spells).toEqual([{ startedAt: "2026-01-01T00:00:00.000Z", cancelledAt: null, monthlyRevenue: 300 }]);
  });

  it("a reactivated customer has two spells, in whatever order the versions arrive", async () => {
    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["ingest", "read"]);
    const started = { externalId: "r", startedAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-01T00:00:00Z" };
    const cancelled = { ...started, cancelledAt: "2026-02-10T00:00:00Z", updatedAt: "2026-02-10T00:00:00Z" };
    const again = { externalId: "r", startedAt: "2026-03-15T00:00:00Z", updatedAt: "2026-03-15T00:00:00Z" };
    const expected = [
      { startedAt: "2026-01-01T00:00:00.000Z", cancelledAt: "2026-02-10T00:00:00.000Z" },
      { startedAt: "2026-03-15T00:00:00.000Z", cancelledAt: null },
    ];
    // In order.
    for (const v of [started, cancelled, again]) expect((await post(auth, v)).statusCode).toBe(202);
    expect((await get(auth, "r")).json()).toMatchObject({ spells: expected, active: true });

    // The cancellation arrives last: older than the stored version, it changes no field but
    // still ends the first spell.
    const auth2 = await t.bearer(randomId("ws"), ["ingest", "read"]);
    for (const v of [started, again]) await post(auth2, v);
    expect((await get(auth2, "r")).json().spells).toEqual([{ startedAt: "2026-03-15T00:00:00.000Z", cancelledAt: null }]);
    expect((await post(auth2, cancelled)).json().items[0].status).toBe("unchanged");
    expect((await get(auth2, "r")).json()).toMatchObject({ spells: expected, updatedAt: "2026-03-15T00:00:00.000Z" });
  });

  it("links tickets, mentions and survey answers that carry the customer's id", async () => {
    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["ingest", "read"]);
    await post(auth, { externalId: "cust-9", startedAt: "2026-01-01T00:00:00Z" });
    const items = async (url: string, payload: object) =>
      expect((await t.app.inject({ method: "POST", url, headers: { authorization: auth }, payload })).statusCode).toBe(202);
    await items("/v1/tickets", { items: [
      { externalId: "t1", status: "open", createdAt: "2026-02-01T00:00:00Z", customer: { id: "cust-9" } },
      { externalId: "t2", status: "open", createdAt: "2026-02-01T00:00:00Z", customer: { id: "cust-9" } },
      { externalId: "t3", status: "open", createdAt: "2026-02-01T00:00:00Z", customer: { id: "someone-else" } },
    ] });
    await items("/v1/mentions", { platform: "twitter", externalId: "m1", text: "love it", postedAt: "2026-02-01T00:00:00Z", customer: { id: "cust-9" } });
    await items("/v1/surveys", { externalId: "s1", kind: "nps", score: 3, respondedAt: "2026-02-01T00:00:00Z", customer: { id: "cust-9" } });
    expect((await get(auth, "cust-9")).json().linked).toEqual({ tickets: 2, mentions: 1, surveys: 1 });
  });

  it("keeps workspaces apart: the same externalId is two customers, invisible to each other", async () => {
    const [wsA, wsB] = [randomId("wsA"), randomId("wsB")];
    const [a, b] = [await t.bearer(wsA, ["ingest", "read"]), await t.bearer(wsB, ["ingest", "read"])];
    await post(a, { externalId: "shared", plan: "a-plan", startedAt: "2026-01-01T00:00:00Z" });
    expect((await get(b, "shared")).statusCode).toBe(404);
    expect((await post(b, { externalId: "shared", plan: "b-plan", startedAt: "2026-01-02T00:00:00Z" })).json().items[0].status).toBe("created");
    expect((await get(a, "shared")).json().plan).toBe("a-plan");
    expect((await get(b, "shared")).json().plan).toBe("b-plan");
    expect(await t.mongo.cols.customers.countDocuments({ workspace: wsA })).toBe(1);
    expect(await t.mongo.cols.customers.countDocuments({ workspace: wsB })).toBe(1);
  });

  it("needs the ingest scope to write", async () => {
    const auth = await t.bearer(randomId("ws"), ["read"]);
    expect((await post(auth, { externalId: "x", startedAt: "2026-01-01T00:00:00Z" })).statusCode).toBe(403);
  });
});
