/**
 * Follow-ups: due by category in the workspace's time zone (overdue listed oldest due first, with
 * a cursor), closed through the API, closed by an agent's later reply on a ticket of the same
 * customer (and not by an earlier one, nor by another customer's), and the follow-up metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";

let t: TestApi;
let now = new Date("2026-03-06T12:00:00Z");
beforeAll(async () => {
  t = await makeTestApi({}, { now: () => now });
});
afterAll(async () => t?.close());

async function workspace() {
  const ws = randomId("ws");
  const auth = await t.bearer(ws, ["ingest", "read", "admin"]);
  const call = async (method: "GET" | "POST" | "PUT", url: string, payload?: object) => {
    const r = await t.app.inject({ method, url, headers: { authorization: auth }, ...(payload ? { payload } : {}) });
    return { status: r.statusCode, body: r.json() };
  };
  return { ws, call };
}

const nps = (externalId: string, score: number, respondedAt: string, customer?: string) => ({
  externalId, kind: "nps", score, respondedAt, ...(customer ? { customer: { id: customer } } : {}),
});

describe("follow-ups", () => {
  it("are due by category at the end of the local day in the workspace's zone, overdue listed oldest first", async () => {
    now = new Date("2026-03-06T12:00:00Z");
    const { call } = await workspace();
    expect((await call("PUT", "/v1/follow-ups/policy", { timeZone: "Europe/Amsterdam" })).status).toBe(200);
    expect((await call("POST", "/v1/surveys", { items: [
      // Monday 2 March 23:30 in Amsterdam (UTC+1): 3 days → end of Thursday 5 March local.
      nps("mon-detractor", 3, "2026-03-02T22:30:00Z"),
      // Tuesday 3 March 00:30 local (still Monday in UTC): end of Friday 6 March local.
      nps("tue-detractor", 6, "2026-03-02T23:30:00Z"),
      nps("passive", 8, "2026-03-02T22:30:00Z"), // 5 days: end of Saturday 7 March
      nps("promoter", 10, "2026-03-02T22:30:00Z"), // 7 days: end of Monday 9 March
      { externalId: "happy-csat", kind: "csat", score: 5, respondedAt: "2026-03-02T22:30:00Z" }, // no follow-up
      { externalId: "low-csat", kind: "csat", score: 1, respondedAt: "2026-03-01T10:00:00Z" }, // below 3: like a detractor
    ] })).status).toBe(202);

    const open = await call("GET", "/v1/follow-ups?state=open");
    expect(open.body.items.map((f: { externalId: string; category: string; dueAt: string; overdue: boolean }) => [f.externalId, f.category, f.dueAt, f.overdue])).toEqual([
      ["low-csat", "low-csat", "2026-03-04T23:00:00.000Z", true],
      ["mon-detractor", "detractor", "2026-03-05T23:00:00.000Z", true],
      ["tue-detractor", "detractor", "2026-03-06T23:00:00.000Z", false],
      ["passive", "passive", "2026-03-07T23:00:00.000Z", false],
      ["promoter", "promoter", "2026-03-09T23:00:00.000Z", false],
    ]);
    const overdue = await call("GET", "/v1/follow-ups?state=overdue&limit=1");
    expect(overdue.body.items.map((f: { externalId: string }) => f.externalId)).toEqual(["low-csat"]);
    const next = await call("GET", `/v1/follow-ups?state=overdue&limit=1&cursor=${overdue.body.nextCursor}`);
    expect(next.body.items.map((f: { externalId: string }) => f.externalId)).toEqual(["mon-detractor"]);
    expect(next.body.nextCursor).toBeNull();

    // Across the spring change (29 March): 7 local days from Wednesday 25 March end at
    // Thursday 2 April 00:00 CEST (UTC+2).
    now = new Date("2026-03-25T12:00:00Z");
    await call("POST", "/v1/surveys", nps("dst-promoter", 9, "2026-03-25T10:00:00Z"));
    const all = await call("GET", "/v1/follow-ups?state=open&limit=500");
    expect(all.body.items.at(-1)).toMatchObject({ externalId: "dst-promoter", dueAt: "2026-04-01T22:00:00.000Z", overdue: false });
  });

  it("is closed through the API once (who, when, note), and counted on time or late", async () => {
    now = new Date("2026-03-10T12:00:00Z");
    const { call } = await workspace();
    const stored = await call("POST", "/v1/surveys", { items: [nps("a", 2, "2026-03-02T10:00:00Z"), nps("b", 9, "2026-03-02T10:00:00Z")] });
    const id = stored.body.items[0].id;
    const bad = await call("POST", `/v1/surveys/${encodeURIComponent(id)}/follow-up`, { by: "sam", at: "2026-03-01T00:00:00Z" });
    expect(bad).toMatchObject({ status: 400, body: { message: "at: is before the answer's respondedAt" } });
    const done = await call("POST", `/v1/surveys/${encodeURIComponent(id)}/follow-up`, { by: "sam", at: "2026-03-04T09:00:00Z", note: "called, refund sent" });
    expect(done).toMatchObject({ status: 200, body: { id, doneAt: "2026-03-04T09:00:00.000Z", by: "sam", note: "called, refund sent", via: "api", onTime: true } });
    expect((await call("POST", `/v1/surveys/${encodeURIComponent(id)}/follow-up`, { by: "kim" })).status).toBe(409);
    // By external id; the promoter is due 10 March 00:00 UTC and followed up later.
    expect((await call("POST", "/v1/surveys/b/follow-up", { by: "kim", at: "2026-03-10T08:00:00Z" })).body).toMatchObject({ onTime: false });
    expect((await call("GET", "/v1/follow-ups?state=done")).body.items.map((f: { externalId: string }) => f.externalId)).toEqual(["a", "b"]);
    expect((await call("GET", "/v1/follow-ups?state=open")).body.items).toEqual([]);

    // follow-up-rate over due times in March: 2 due, 1 on time; by category.
    const rate = await call("GET", "/v1/trends/follow-up-rate?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&interval=month");
    expect(rate.body.definition).toBe("follow-up-rate.v1");
    expect(rate.body.groups[0].total).toMatchObject({ value: 50, n: 2, parts: { due: 2, onTime: 1, detractorPct: 100, promoterPct: 0, passiveDue: 0 } });
    // follow-up-time: 1 d 23 h = 169,200 s and 7 d 22 h = 684,000 s; nearest-rank median is the first.
    const time = await call("GET", "/v1/trends/follow-up-time?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&interval=month");
    expect(time.body.groups[0].total).toEqual({ value: 169_200, n: 2, parts: { median: 169_200, p90: 684_000, mean: (169_200 + 684_000) / 2 } });
  });

  it("is closed by an agent's reply on a ticket of the same customer after the answer", async () => {
    now = new Date("2026-03-10T12:00:00Z");
    const { call } = await workspace();
    const ticket = (o: object) => ({ externalId: "T1", channel: "email", createdAt: "2026-03-01T08:00:00Z", customer: { id: "cust" }, ...o });
    // A reply before the answer does not count.
    await call("POST", "/v1/tickets", ticket({ status: "open", firstResponseAt: "2026-03-01T09:00:00Z", agentReplies: 1, updatedAt: "2026-03-01T09:00:00Z" }));
    await call("POST", "/v1/surveys", nps("ans", 4, "2026-03-02T10:00:00Z", "cust"));
    // The customer writes again (no agent reply) after the answer: still open.
    await call("POST", "/v1/tickets", ticket({ status: "open", customerMessages: 2, agentReplies: 1, updatedAt: "2026-03-02T12:00:00Z" }));
    // Another customer's reply does not count either.
    await call("POST", "/v1/tickets", { externalId: "T2", status: "open", createdAt: "2026-03-02T11:00:00Z", firstResponseAt: "2026-03-02T13:00:00Z", customer: { id: "other" } });
    expect((await call("GET", "/v1/follow-ups?state=open")).body.items.map((f: { externalId: string }) => f.externalId)).toEqual(["ans"]);
    // The agent replies on T1 after the answer: the follow-up is done at that version's time.
    await call("POST", "/v1/tickets", ticket({ status: "pending", agentReplies: 2, updatedAt: "2026-03-03T15:00:00Z" }));
    const done = (await call("GET", "/v1/follow-ups?state=done")).body.items;
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ externalId: "ans", doneAt: "2026-03-03T15:00:00.000Z", via: "ticket-reply", onTime: true, ticketId: expect.stringContaining("T1") });
  });

  it("an answer arriving after the customer's later ticket reply is closed at once", async () => {
    now = new Date("2026-03-10T12:00:00Z");
    const { call } = await workspace();
    await call("POST", "/v1/tickets", { externalId: "T9", status: "open", createdAt: "2026-03-02T11:00:00Z", firstResponseAt: "2026-03-02T13:00:00Z", agentReplies: 1, customer: { id: "late" } });
    await call("POST", "/v1/surveys", nps("early-answer", 1, "2026-03-02T10:00:00Z", "late"));
    const done = (await call("GET", "/v1/follow-ups?state=done")).body.items;
    expect(done).toEqual([expect.objectContaining({ externalId: "early-answer", doneAt: "2026-03-02T13:00:00.000Z", via: "ticket-reply" })]);
  });
});
