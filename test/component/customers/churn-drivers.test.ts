/**
 * GET /v1/churn/drivers on a constructed population: a saved search ("invoice") matches 9 of 12
 * churned customers in the window before they left and 1 of 12 retained ones; nothing else
 * differs. It must come out first, with its two-proportion p-value equal to an independent
 * computation; items outside a customer's window and customers new in the period do not count.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { makeSearchesRepo } from "../../../shared/db/searches-repo";
import { makeCorpusStatsRepo } from "../../../shared/db/corpus-stats-repo";
import { makeSearchRegistry, type SearchRegistry } from "../../../workers/search-registry";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";
import { makeTestWorkers } from "../../support/workers";
import { normalTwoSidedPByHand } from "../../support/trends-helpers";

let t: TestApi;
let registry: SearchRegistry;
let w: ReturnType<typeof makeTestWorkers>;
beforeAll(async () => {
  t = await makeTestApi();
  registry = makeSearchRegistry({ searches: makeSearchesRepo(t.mongo.db), log: pino({ level: "silent" }), corpus: makeCorpusStatsRepo(t.mongo.db) });
  w = makeTestWorkers(t.config, t.mongo, t.queues, { searches: registry });
});
afterAll(async () => {
  await registry?.close();
  await t?.close();
});

const INVOICE = "please send the invoice for march";
const RECEIPT = "please send the receipt for march";

describe("churn drivers", () => {
  it("ranks the saved search that separates churned from retained customers first", async () => {
    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["ingest", "read", "searches"]);
    const call = async (method: "GET" | "POST", url: string, payload?: object) => {
      const r = await t.app.inject({ method, url, headers: { authorization: auth }, ...(payload ? { payload } : {}) });
      expect(r.statusCode, r.body).toBeLessThan(300);
      return r.json();
    };
    const invoice = await call("POST", "/v1/searches", { name: "invoices", query: "invoice" });
    const everyone = await call("POST", "/v1/searches", { name: "march", query: "march" });

    const customers: object[] = [];
    const tickets: object[] = [];
    const ticket = (customer: string, n: number, createdAt: string, body: string) =>
      tickets.push({ externalId: `${customer}-${n}`, channel: "email", status: "open", language: "en", subject: "", body, createdAt, customer: { id: customer } });
    // Churned on 15 March: window [13 Feb, 15 Mar).
    for (let i = 0; i < 12; i++) {
      customers.push({ externalId: `c${i}`, startedAt: "2025-01-01T00:00:00Z", cancelledAt: "2026-03-15T00:00:00Z" });
      ticket(`c${i}`, 1, "2026-03-01T10:00:00Z", i < 9 ? INVOICE : RECEIPT);
    }
    ticket("c11", 2, "2026-01-20T10:00:00Z", INVOICE); // before its window
    // Retained: window [2 Mar, 1 Apr).
    for (let i = 0; i < 12; i++) {
      customers.push({ externalId: `r${i}`, startedAt: "2025-01-01T00:00:00Z" });
      ticket(`r${i}`, 1, "2026-03-20T10:00:00Z", i < 1 ? INVOICE : RECEIPT);
    }
    ticket("r1", 2, "2026-02-01T10:00:00Z", INVOICE); // before its window
    customers.push({ externalId: "new", startedAt: "2026-03-05T00:00:00Z" }); // new: neither group
    ticket("new", 1, "2026-03-06T10:00:00Z", INVOICE);
    await call("POST", "/v1/customers", { items: customers });
    await call("POST", "/v1/tickets", { items: tickets });
    await w.enrichPending(ws);

    const answer = await call("GET", "/v1/churn/drivers?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&window=30d");
    expect(answer).toMatchObject({ churned: 12, retained: 12, windowDays: 30 });
    const first = answer.rows[0];
    expect(first.measure).toBe(`search:${invoice.id}`);
    expect(first.churned).toEqual({ value: 75, n: 12 });
    expect(first.retained.n).toBe(12);
    expect(first.retained.value).toBeCloseTo(100 / 12, 10);

    // Independently: pooled two-proportion z for 9/12 vs 1/12, and Cohen's h.
    const p = 10 / 24;
    const z = (9 / 12 - 1 / 12) / Math.sqrt(p * (1 - p) * (2 / 12));
    expect(first.test.test).toBe("two-proportion-z");
    expect(first.test.statistic).toBeCloseTo(z, 10);
    expect(first.test.pValue).toBeCloseTo(normalTwoSidedPByHand(z), 8);
    expect(first.test.significant).toBe(true);
    expect(first.effect).toEqual({ name: "cohen-h", value: expect.closeTo(2 * Math.asin(Math.sqrt(0.75)) - 2 * Math.asin(Math.sqrt(1 / 12)), 10) });

    // Everything else is the same for both groups: no effect.
    const rest = Object.fromEntries(answer.rows.slice(1).map((r: { measure: string }) => [r.measure, r]));
    expect(rest[`search:${everyone.id}`]).toMatchObject({ churned: { value: 100, n: 12 }, retained: { value: 100, n: 12 }, effect: { value: 0 } });
    expect(rest.contacts).toMatchObject({ churned: { value: 1, n: 12 }, retained: { value: 1, n: 12 }, effect: { value: 0 }, test: { test: "mann-whitney-u", pValue: 1 } });
    expect(rest.fcr).toMatchObject({ churned: { n: 0 }, effect: { value: null } });
    for (const r of answer.rows.slice(1)) expect(Math.abs(r.effect.value ?? 0)).toBeLessThan(Math.abs(first.effect.value));
  });

  it("refuses a window it cannot read, naming it", async () => {
    const auth = await t.bearer(randomId("ws"), ["read"]);
    const r = await t.app.inject({ method: "GET", url: "/v1/churn/drivers?window=3months", headers: { authorization: auth } });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(/window/);
  });
});
