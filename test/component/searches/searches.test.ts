import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { makeSearchesRepo } from "../../../shared/db/searches-repo";
import { makeCorpusStatsRepo } from "../../../shared/db/corpus-stats-repo";
import { makeBackfillSearch } from "../../../workers/processors/backfill-search";
import { makeSearchRegistry, type SearchRegistry } from "../../../workers/search-registry";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";
import { fakeJob, makeTestWorkers } from "../../support/workers";

let t: TestApi;
let registry: SearchRegistry;
let w: ReturnType<typeof makeTestWorkers>;
let backfill: ReturnType<typeof makeBackfillSearch>;

beforeAll(async () => {
  t = await makeTestApi();
  const searches = makeSearchesRepo(t.mongo.db);
  // With the corpus, anchors follow the workspace's real document frequencies (as in the worker).
  registry = makeSearchRegistry({ searches, log: pino({ level: "silent" }), corpus: makeCorpusStatsRepo(t.mongo.db) });
  w = makeTestWorkers(t.config, t.mongo, t.queues, { searches: registry });
  backfill = makeBackfillSearch({ ...w.deps, searches });
});
afterAll(async () => {
  await registry?.close();
  await t?.close();
});

async function workspace() {
  const ws = randomId("ws");
  return { ws, auth: await t.bearer(ws, ["ingest", "read", "searches"]) };
}
const call = (auth: string, method: "GET" | "POST" | "PATCH" | "DELETE", url: string, payload?: object) =>
  t.app.inject({ method, url, headers: { authorization: auth }, ...(payload ? { payload } : {}) });

const TICKETS = [
  { externalId: "1", channel: "email", subject: "Refund late", body: "My refunds are delayed again", customer: { segment: "enterprise" }, status: "solved", resolvedAt: "2026-03-02T12:00:00Z", agentReplies: 1 },
  { externalId: "2", channel: "chat", subject: "Refund", body: "Where is my refund? It is late", customer: { segment: "smb" }, status: "solved", resolvedAt: "2026-03-02T15:00:00Z", agentReplies: 4 },
  { externalId: "3", channel: "email", subject: "Login", body: "I cannot log in", customer: { segment: "smb" }, status: "open" },
  { externalId: "4", channel: "email", subject: "Thanks", body: "Thank you, the refund arrived", customer: { segment: "enterprise" }, status: "solved", resolvedAt: "2026-03-02T13:00:00Z" },
].map((x) => ({ source: "api", createdAt: "2026-03-02T10:00:00Z", language: "en", ...x }));
const QUERY = "refund AND (late OR delayed)";
const RANGE = "from=2026-03-01T00:00:00Z&to=2026-03-04T00:00:00Z";

async function runBackfills(): Promise<void> {
  const jobs = await t.queues.backfillSearch.getJobs(["waiting", "delayed"]);
  for (const job of jobs) {
    await backfill(fakeJob(job.data));
    await job.remove();
  }
  await w.drainRollups();
}

describe("saved searches", () => {
  it("refuses a query that does not parse with a 400 naming the position", async () => {
    const { auth } = await workspace();
    const res = await call(auth, "POST", "/v1/searches", { name: "bad", query: "refund AND (late" });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      message: 'at 16: expected ")" to close the "(" at 11, found end of query',
      issues: [{ path: "query" }],
    });
  });

  it("gives the same trend whether the search existed before the items (live) or after (backfill)", async () => {
    const live = await workspace();
    const created = await call(live.auth, "POST", "/v1/searches", { name: "late refunds", query: QUERY });
    expect(created.statusCode).toBe(201);
    await call(live.auth, "POST", "/v1/tickets", { items: TICKETS });
    await w.settle(live.ws);
    await runBackfills();

    const later = await workspace();
    await call(later.auth, "POST", "/v1/tickets", { items: TICKETS });
    await w.settle(later.ws);
    const made = (await call(later.auth, "POST", "/v1/searches", { name: "late refunds", query: QUERY })).json();
    expect(made.backfill.state).toBe("pending");
    await runBackfills();
    const after = (await call(later.auth, "GET", `/v1/searches/${made.id}`)).json();
    expect(after.backfill).toMatchObject({ state: "done", revision: 1 });
    expect(after.backfill.processed).toBeGreaterThanOrEqual(2);

    const liveTrend = (await call(live.auth, "GET", `/v1/searches/${created.json().id}/trends/volume?${RANGE}&groupBy=channel`)).json();
    const laterTrend = (await call(later.auth, "GET", `/v1/searches/${made.id}/trends/volume?${RANGE}&groupBy=channel`)).json();
    expect(laterTrend.groups).toEqual(liveTrend.groups);
    const totals = Object.fromEntries(laterTrend.groups.map((g: { key: { channel: string }; total: { n: number } }) => [g.key.channel, g.total.n]));
    expect(totals).toEqual({ email: 1, chat: 1 }); // tickets 1 and 2; 3 is not about refunds, 4 is not late
  });

  it("lists matches newest first with highlights, paginated", async () => {
    const { ws, auth } = await workspace();
    await call(auth, "POST", "/v1/tickets", {
      items: TICKETS.map((x, i) => ({ ...x, createdAt: `2026-03-02T1${i}:00:00Z`, resolvedAt: x.resolvedAt ? "2026-03-02T19:00:00Z" : undefined })),
    });
    await w.settle(ws);
    const s = (await call(auth, "POST", "/v1/searches", { name: "refunds", query: "refund*" })).json();
    await runBackfills();
    const page1 = (await call(auth, "GET", `/v1/searches/${s.id}/items?limit=2`)).json();
    expect(page1.items.map((i: { externalId: string }) => i.externalId)).toEqual(["4", "2"]);
    const first = page1.items[0];
    expect(first.highlights.map((h: { start: number; end: number }) => first.text.slice(h.start, h.end).toLowerCase())).toContain("refund");
    const page2 = (await call(auth, "GET", `/v1/searches/${s.id}/items?limit=2&cursor=${page1.nextCursor}`)).json();
    expect(page2.items.map((i: { externalId: string }) => i.externalId)).toEqual(["1"]);
    expect(page2.nextCursor).toBeNull();
  });

  it("compares segments of the matches with a significance test", async () => {
    const { ws, auth } = await workspace();
    await call(auth, "POST", "/v1/tickets", { items: TICKETS });
    await w.settle(ws);
    const s = (await call(auth, "POST", "/v1/searches", { name: "refunds", query: "refund" })).json();
    await runBackfills();
    const res = await call(auth, "GET", `/v1/searches/${s.id}/compare?metric=fcr&by=segment&${RANGE}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const bySegment = Object.fromEntries(body.groups.map((g: { key: string; value: number; n: number }) => [g.key, [g.value, g.n]]));
    // enterprise: tickets 1 (1 reply) and 4 (0 replies) both one-touch; smb: ticket 2 (4 replies) not
    expect(bySegment).toEqual({ enterprise: [100, 2], smb: [0, 1] });
    expect(body.comparisons).toHaveLength(1);
    // two-proportion z by hand: p = 2/3, se = sqrt(p(1-p)(1/2+1/1)) = 0.57735, z = 1/0.57735 = 1.7321
    expect(body.comparisons[0].statistic).toBeCloseTo(1.7320508, 5);
    expect(body.comparisons[0].pValue).toBeCloseTo(0.0832645, 5);
    expect(body.comparisons[0].significant).toBe(false);
  });

  it("re-runs the backfill when the query changes and drops matches that no longer fit", async () => {
    const { ws, auth } = await workspace();
    await call(auth, "POST", "/v1/tickets", { items: TICKETS });
    await w.settle(ws);
    const s = (await call(auth, "POST", "/v1/searches", { name: "refunds", query: "refund" })).json();
    await runBackfills();
    const patched = (await call(auth, "PATCH", `/v1/searches/${s.id}`, { query: "refund AND channel:chat" })).json();
    expect(patched).toMatchObject({ revision: 2, backfill: { state: "pending", revision: 2 } });
    await runBackfills();
    const items = (await call(auth, "GET", `/v1/searches/${s.id}/items`)).json().items;
    expect(items.map((i: { externalId: string }) => i.externalId)).toEqual(["2"]);
    const trend = (await call(auth, "GET", `/v1/searches/${s.id}/trends/volume?${RANGE}`)).json();
    expect(trend.groups[0].total.n).toBe(1);
  });

  it("deleting a search removes its matches and rollups", async () => {
    const { ws, auth } = await workspace();
    await call(auth, "POST", "/v1/tickets", { items: TICKETS });
    await w.settle(ws);
    const s = (await call(auth, "POST", "/v1/searches", { name: "refunds", query: "refund" })).json();
    await runBackfills();
    expect(await t.mongo.cols.rollups.countDocuments({ workspace: ws, scope: s.id })).toBeGreaterThan(0);
    expect((await call(auth, "DELETE", `/v1/searches/${s.id}`)).statusCode).toBe(204);
    expect(await t.mongo.cols.rollups.countDocuments({ workspace: ws, scope: s.id })).toBe(0);
    expect(await t.mongo.cols.items.countDocuments({ workspace: ws, searchIds: s.id })).toBe(0);
    expect((await call(auth, "GET", `/v1/searches/${s.id}`)).statusCode).toBe(404);
    await w.drainRollups(); // the drain must not resurrect the deleted scope
    expect(await t.mongo.cols.rollups.countDocuments({ workspace: ws, scope: s.id })).toBe(0);
  });

  it("keeps searches within their workspace", async () => {
    const a = await workspace();
    const b = await workspace();
    const s = (await call(a.auth, "POST", "/v1/searches", { name: "mine", query: "refund" })).json();
    expect((await call(b.auth, "GET", `/v1/searches/${s.id}`)).statusCode).toBe(404);
    expect((await call(b.auth, "GET", `/v1/searches/${s.id}/items`)).statusCode).toBe(404);
    expect((await call(b.auth, "DELETE", `/v1/searches/${s.id}`)).statusCode).toBe(404);
    expect((await call(b.auth, "GET", "/v1/searches")).json().searches).toEqual([]);
  });
});
