/**
 * Churn, retention, customers and revenue churn through GET /v1/trends/{metric}, against figures
 * computed by hand for a small customer table whose customers start and leave inside the period,
 * exactly at its edges, and come back (reactivations). Also: group by segment, the previous
 * period's test recomputed independently, and a late cancellation reported as a recomputation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customerInputSchema } from "../../../shared/domain/customers";
import { makeCustomersRepo } from "../../../shared/db/customers-repo";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";
import { normalTwoSidedPByHand } from "../../support/trends-helpers";

let t: TestApi;
beforeAll(async () => {
  t = await makeTestApi();
});
afterAll(async () => t?.close());

const MARCH = "from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&interval=month";

/**
 * The table, March 2026 = [03-01, 04-01). A version per line; a customer with two spells sends two.
 *   A smb  2025-12-01 →            100   at start, at end: retained
 *   B smb  2026-01-10 → 03-15       50   churned
 *   C ent  2026-03-10 →                  new (not counted)
 *   D ent  2025-11-01 → 03-01 00:00 200  cancels exactly at the start: at start, churned
 *   E ent  2025-10-01 → 04-01 00:00 300  cancels exactly at the end: retained (churns in April)
 *   F smb  2025-06-01 → 03-05 40, again 03-20 → 60: at start, back by the end: retained, returned
 *   G smb  2025-05-01 → 02-15, again 03-25: not at start (new in March)
 *   H ent  2026-03-01 00:00 →            starts exactly at the start: new
 *   I smb  2026-02-01 → 02-20            before March: nothing
 *   J —    2025-01-01 → 03-31 23:00 500  churned, no segment
 * March: at start A B D E F J = 6; churned B D J = 3; retained A E F = 3; returned F; new C G H;
 * active at the end A C E F G H = 6; revenue at start 100+50+200+300+40+500 = 1190, churned
 * 50+200+500 = 750.
 * Previous period (same length, 31 days) [01-29, 03-01): at start A B D E F G J = 7; churned G.
 */
const TABLE = [
  { externalId: "A", segment: "smb", startedAt: "2025-12-01T00:00:00Z", monthlyRevenue: 100 },
  { externalId: "B", segment: "smb", startedAt: "2026-01-10T00:00:00Z", cancelledAt: "2026-03-15T00:00:00Z", monthlyRevenue: 50 },
  { externalId: "C", segment: "ent", startedAt: "2026-03-10T00:00:00Z" },
  { externalId: "D", segment: "ent", startedAt: "2025-11-01T00:00:00Z", cancelledAt: "2026-03-01T00:00:00Z", monthlyRevenue: 200 },
  { externalId: "E", segment: "ent", startedAt: "2025-10-01T00:00:00Z", cancelledAt: "2026-04-01T00:00:00Z", monthlyRevenue: 300 },
  { externalId: "F", segment: "smb", startedAt: "2025-06-01T00:00:00Z", cancelledAt: "2026-03-05T00:00:00Z", monthlyRevenue: 40 },
  { externalId: "F", segment: "smb", startedAt: "2026-03-20T00:00:00Z", monthlyRevenue: 60 },
  { externalId: "G", segment: "smb", startedAt: "2025-05-01T00:00:00Z", cancelledAt: "2026-02-15T00:00:00Z" },
  { externalId: "G", segment: "smb", startedAt: "2026-03-25T00:00:00Z" },
  { externalId: "H", segment: "ent", startedAt: "2026-03-01T00:00:00Z" },
  { externalId: "I", segment: "smb", startedAt: "2026-02-01T00:00:00Z", cancelledAt: "2026-02-20T00:00:00Z" },
  { externalId: "J", startedAt: "2025-01-01T00:00:00Z", cancelledAt: "2026-03-31T23:00:00Z", monthlyRevenue: 500 },
];

async function workspaceWithTable() {
  const ws = randomId("ws");
  const auth = await t.bearer(ws, ["ingest", "read"]);
  const res = await t.app.inject({ method: "POST", url: "/v1/customers", headers: { authorization: auth }, payload: { items: TABLE } });
  expect(res.json()).toMatchObject({ accepted: TABLE.length, rejected: 0 });
  const trend = async (metric: string, query: string) => {
    const r = await t.app.inject({ method: "GET", url: `/v1/trends/${metric}?${query}`, headers: { authorization: auth } });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  return { ws, auth, trend };
}

describe("churn and retention by hand", () => {
  it("churn-rate, retention-rate, customers and revenue churn over March", async () => {
    const { trend } = await workspaceWithTable();
    const churn = await trend("churn-rate", MARCH);
    expect(churn.definition).toBe("churn-rate.v1");
    expect(churn.groups).toHaveLength(1);
    const g = churn.groups[0];
    expect(g.total).toEqual({
      value: 50,
      n: 6,
      parts: { atStart: 6, churned: 3, retained: 3, returned: 1, newCustomers: 3, activeAtEnd: 6, corrected: 0 },
    });
    expect(g.points).toHaveLength(1);
    expect(g.points[0]).toMatchObject({ start: "2026-03-01T00:00:00.000Z", value: 50, n: 6 });
    expect(churn.recomputed).toBeUndefined();

    // Previous period [01-29, 03-01): 1 of 7 churned. Two-proportion z by hand.
    expect(churn.previous).toEqual({ from: "2026-01-29T00:00:00.000Z", to: "2026-03-01T00:00:00.000Z" });
    const [x1, n1, x2, n2] = [3, 6, 1, 7];
    const p = (x1 + x2) / (n1 + n2);
    const z = (x1 / n1 - x2 / n2) / Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
    expect(g.change.test).toBe("two-proportion-z");
    expect(g.change.previous).toBeCloseTo(100 / 7, 10);
    expect(g.change.delta).toBeCloseTo(50 - 100 / 7, 10);
    expect(g.change.statistic).toBeCloseTo(z, 10);
    expect(g.change.pValue).toBeCloseTo(normalTwoSidedPByHand(z), 8);
    expect(g.change.significant).toBe(false);

    const retention = (await trend("retention-rate", MARCH)).groups[0];
    expect(retention.total).toMatchObject({ value: 50, n: 6 });
    expect(retention.change.previous).toBeCloseTo(600 / 7, 10);

    const customers = (await trend("customers", MARCH)).groups[0];
    expect(customers.total).toMatchObject({ value: 6, n: 6 });
    expect(customers.change).toMatchObject({ previous: 6, delta: 0, test: "none", pValue: null });

    const revenue = (await trend("revenue-churn-rate", MARCH)).groups[0];
    expect(revenue.total.n).toBe(6);
    expect(revenue.total.value).toBeCloseTo((100 * 750) / 1190, 10);
    expect(revenue.total.parts).toMatchObject({ revenueAtStart: 1190, revenueChurned: 750 });
  });

  it("groups by segment; customers without one form the null group", async () => {
    const { trend } = await workspaceWithTable();
    const churn = await trend("churn-rate", `${MARCH}&groupBy=segment`);
    const bySegment = Object.fromEntries(churn.groups.map((g: { key: { segment: string | null }; total: unknown }) => [String(g.key.segment), g.total]));
    // smb: at start A B F, churned B; ent: at start D E, churned D; none: J, churned.
    expect(bySegment.smb).toMatchObject({ n: 3, parts: { churned: 1, retained: 2, returned: 1 } });
    expect(bySegment.smb.value).toBeCloseTo(100 / 3, 10);
    expect(bySegment.ent).toMatchObject({ n: 2, value: 50 });
    expect(bySegment.null).toMatchObject({ n: 1, value: 100 });
    const smbOnly = await trend("churn-rate", `${MARCH}&segment=smb`);
    expect(smbOnly.groups[0].total).toMatchObject({ n: 3, parts: { churned: 1 } });
  });

  it("daily buckets in a time zone: each day is its own period", async () => {
    const { trend } = await workspaceWithTable();
    // Europe/Amsterdam, 15 March: [03-14 23:00Z, 03-15 23:00Z). At its start: A B E J (old),
    // C H (new in March). B cancels at 03-15 00:00Z, inside the day: 1 of 6.
    const day = await trend("churn-rate", "from=2026-03-14T23:00:00Z&to=2026-03-15T23:00:00Z&interval=day&tz=Europe/Amsterdam");
    expect(day.groups[0].points).toEqual([
      expect.objectContaining({ start: "2026-03-14T23:00:00.000Z", n: 6, parts: expect.objectContaining({ churned: 1 }) }),
    ]);
  });

  it("refuses group-bys customers do not have, naming them", async () => {
    const { auth } = await workspaceWithTable();
    const r = await t.app.inject({ method: "GET", url: `/v1/trends/churn-rate?${MARCH}&groupBy=channel`, headers: { authorization: auth } });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(/segment, plan, region only, not "channel"/);
  });

  it("a late cancellation for an earlier period is recomputed exactly, and the answer says so", async () => {
    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["read"]);
    const repo = makeCustomersRepo(t.mongo.cols.customers, t.mongo.cols.items);
    const v = (o: object) => customerInputSchema.parse(o);
    await repo.write(ws, [v({ externalId: "K", startedAt: "2025-01-01T00:00:00Z", updatedAt: "2025-01-01T00:00:00Z" })], new Date("2026-02-20T00:00:00Z"));
    await repo.write(ws, [v({ externalId: "L", startedAt: "2025-01-01T00:00:00Z", updatedAt: "2025-01-01T00:00:00Z" })], new Date("2026-02-20T00:00:00Z"));
    // Received in April: K had cancelled on 10 March.
    await repo.write(ws, [v({ externalId: "K", startedAt: "2025-01-01T00:00:00Z", cancelledAt: "2026-03-10T00:00:00Z", updatedAt: "2026-04-05T00:00:00Z" })], new Date("2026-04-05T00:00:00Z"));
    const get = async (q: string) => (await t.app.inject({ method: "GET", url: `/v1/trends/churn-rate?${q}`, headers: { authorization: auth } })).json();
    const march = await get(MARCH);
    expect(march.groups[0].total).toMatchObject({ value: 50, n: 2, parts: { churned: 1, corrected: 1 } });
    expect(march.recomputed).toMatchObject({ customers: 1, message: expect.stringMatching(/^recomputed: 1 customer/) });
    // April was answered after the correction arrived: nothing to flag (K is simply gone).
    const april = await get("from=2026-04-01T00:00:00Z&to=2026-05-01T00:00:00Z&interval=month");
    expect(april.groups[0].total).toMatchObject({ n: 1, parts: { churned: 0, corrected: 0 } });
    expect(april.recomputed).toBeUndefined();
  });
});
