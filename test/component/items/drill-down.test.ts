/**
 * GET /v1/items lists exactly the items behind a trend's point: for every point checked here, the
 * items listed (through every page) are as many as the point's n, and are the right ones.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";
import { fakeJob, makeTestWorkers } from "../../support/workers";
import { makeSearchesRepo } from "../../../shared/db/searches-repo";
import { makeBackfillSearch } from "../../../workers/processors/backfill-search";

let t: TestApi;
let w: ReturnType<typeof makeTestWorkers>;
let ws: string;
let auth: string;
const H = 3_600_000;
const plus = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * H).toISOString();

beforeAll(async () => {
  t = await makeTestApi();
  w = makeTestWorkers(t.config, t.mongo, t.queues);
  ws = randomId("ws");
  auth = await t.bearer(ws, ["ingest", "read", "searches"]);
  const day1 = "2026-03-02T08:00:00Z";
  const day2 = "2026-03-03T08:00:00Z";
  const tickets = [
    { externalId: "a", channel: "email", status: "solved", createdAt: day1, resolvedAt: plus(day1, 30), agentReplies: 1, customer: { segment: "enterprise" } },
    { externalId: "b", channel: "email", status: "open", createdAt: plus(day1, 1), customer: { segment: "smb" } },
    { externalId: "c", channel: "chat", status: "solved", createdAt: plus(day1, 2), resolvedAt: plus(day1, 3), agentReplies: 2 },
    { externalId: "d", status: "open", createdAt: plus(day1, 3), subject: "no channel given" },
    { externalId: "e", channel: "email", status: "closed", createdAt: day2, resolvedAt: plus(day2, 1), agentReplies: 1, customer: { segment: "enterprise" } },
  ].map((x) => ({ source: "api", subject: "Refund please", body: "Where is my refund?", ...x }));
  const mentions = [
    { externalId: "m1", platform: "twitter", postedAt: day1, text: "refund still missing @acme" },
    { externalId: "m2", platform: "twitter", postedAt: plus(day1, 5), text: "love the new app" },
    { externalId: "m3", platform: "reddit", postedAt: day2, text: "anyone got their refund?" },
  ];
  for (const [url, items] of [["/v1/tickets", tickets], ["/v1/mentions", mentions]] as const) {
    const res = await t.app.inject({ method: "POST", url, headers: { authorization: auth }, payload: { items } });
    expect(res.json().accepted, res.body).toBe(items.length);
  }
  await w.settle(ws);
});
afterAll(async () => t?.close());

const get = (url: string) => t.app.inject({ method: "GET", url, headers: { authorization: auth } });
const RANGE = "from=2026-03-02T00:00:00Z&to=2026-03-04T00:00:00Z";

/** Every item of a drill-down, following the cursor with small pages. */
async function allItems(query: string): Promise<{ externalId: string; at: string }[]> {
  const out: { externalId: string; at: string }[] = [];
  let cursor: string | null = null;
  do {
    const res = await get(`/v1/items?${query}&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { items: { externalId: string; at: string }[]; nextCursor: string | null };
    out.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return out;
}

/** The trend's points as `start -> n` for one group (matched on `key`). */
async function pointsOf(metric: string, query: string, key: Record<string, string | null> = {}) {
  const body = (await get(`/v1/trends/${metric}?${RANGE}&${query}`)).json();
  const group = body.groups.find((g: { key: Record<string, string | null> }) => Object.entries(key).every(([k, v]) => g.key[k] === v));
  return group.points as { start: string; n: number }[];
}

describe("GET /v1/items (drill-down)", () => {
  it("lists a volume point's tickets per channel, newest first across pages", async () => {
    const points = await pointsOf("volume", "groupBy=channel", { channel: "email" });
    for (const p of points) {
      const end = new Date(Date.parse(p.start) + 24 * H).toISOString();
      const items = await allItems(`metric=volume&from=${p.start}&to=${end}&channel=email`);
      expect(items.length).toBe(p.n);
    }
    const day1 = await allItems(`metric=volume&from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z&channel=email`);
    expect(day1.map((i) => i.externalId)).toEqual(["b", "a"]);
  });

  it("lists the unknown group's items (tickets of customers without a segment)", async () => {
    const [p] = await pointsOf("volume", "groupBy=segment&interval=week", { segment: null });
    expect(p!.n).toBe(2);
    const items = await allItems(`metric=volume&${RANGE}&unknown=segment`);
    expect(items.map((i) => i.externalId)).toEqual(["d", "c"]);
    const either = await allItems(`metric=volume&${RANGE}&unknown=segment&segment=smb`);
    expect(either.map((i) => i.externalId)).toEqual(["d", "c", "b"]);
  });

  it("lists FCR's tickets by the day they were resolved, not created", async () => {
    const points = await pointsOf("fcr", "");
    const byDay = await Promise.all(
      points.map((p) => allItems(`metric=fcr&from=${p.start}&to=${new Date(Date.parse(p.start) + 24 * H).toISOString()}`)),
    );
    expect(byDay.map((d) => d.length)).toEqual(points.map((p) => p.n));
    // a was created on day 1 and resolved on day 2
    expect(byDay[1]!.map((i) => i.externalId).sort()).toEqual(["a", "e"]);
    expect(byDay[1]!.find((i) => i.externalId === "a")!.at).toBe(plus("2026-03-02T08:00:00Z", 30));
  });

  it("filters by customer segment and by platform like the trends do", async () => {
    const [seg] = await pointsOf("volume", "segment=enterprise&interval=week");
    const enterprise = await allItems(`metric=volume&${RANGE}&segment=enterprise`);
    expect(enterprise.map((i) => i.externalId).sort()).toEqual(["a", "e"]);
    expect(seg!.n).toBe(2);
    const twitter = await allItems(`metric=mentions&${RANGE}&platform=twitter`);
    expect(twitter.map((i) => i.externalId)).toEqual(["m2", "m1"]);
  });

  it("lists every kind by its own time without a metric, and a saved search's matches with highlights", async () => {
    expect((await allItems(RANGE)).length).toBe(8);
    const created = await t.app.inject({ method: "POST", url: "/v1/searches", headers: { authorization: auth }, payload: { name: "refunds", query: "refund" } });
    const id = created.json().id as string;
    const backfill = makeBackfillSearch({ ...w.deps, searches: makeSearchesRepo(t.mongo.db) }, async () => {});
    await backfill(fakeJob({ workspace: ws, searchId: id, revision: 1 }));
    const res = await get(`/v1/items?${RANGE}&search=${id}&metric=mentions`);
    const body = res.json();
    expect(body.items.map((i: { externalId: string }) => i.externalId)).toEqual(["m3", "m1"]);
    expect(body.items[0].highlights.length).toBeGreaterThan(0);
  });

  it("answers 400 naming a bad parameter and 404 for another workspace's search", async () => {
    const bad = await get(`/v1/items?${RANGE}&metric=nope`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/metric/);
    const unknownDim = await get(`/v1/items?${RANGE}&unknown=colour`);
    expect(unknownDim.statusCode).toBe(400);
    expect((await get(`/v1/items?${RANGE}&search=s_nothere`)).statusCode).toBe(404);
  });

  it("reads only the items of the range, by resolution and first-response time too (served from indexes)", async () => {
    // two hundred tickets from January, created, answered and resolved outside the range
    const old = Array.from({ length: 200 }, (_, i) => {
      const created = new Date(Date.UTC(2026, 0, 1) + i * 2 * H).toISOString();
      return {
        source: "api", externalId: `old-${i}`, channel: "email", status: "solved", subject: "Old", body: "old question",
        createdAt: created, firstResponseAt: plus(created, 1), resolvedAt: plus(created, 2), agentReplies: 1,
      };
    });
    expect((await t.app.inject({ method: "POST", url: "/v1/tickets", headers: { authorization: auth }, payload: { items: old } })).statusCode).toBe(202);
    await w.settle(ws);
    const scanned = async () => Number((await t.mongo.client.db("admin").command({ serverStatus: 1 })).metrics.queryExecutor.scannedObjects);
    for (const [query, expected] of [
      [`metric=fcr&${RANGE}`, ["a", "e", "c"]],
      [`metric=first-response-time&${RANGE}`, []],
      [RANGE, ["e", "m3", "m2", "d", "c", "b", "a", "m1"]],
    ] as const) {
      const before = await scanned();
      const res = await get(`/v1/items?${query}&limit=50`);
      const read = (await scanned()) - before;
      expect(res.json().items.map((i: { externalId: string }) => i.externalId), query).toEqual(expected);
      // the embedded store reports documents examined per process (a shared MongoDB counts every client's)
      if (!t.config.MONGO_URL) expect(read, query).toBeLessThan(20);
    }
  });
});
