import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";
import { makeTestWorkers } from "../../support/workers";
import { readTermSample } from "../../../shared/db/term-items";

let t: TestApi;
let w: ReturnType<typeof makeTestWorkers>;

beforeAll(async () => {
  t = await makeTestApi();
  w = makeTestWorkers(t.config, t.mongo, t.queues);
});
afterAll(async () => t?.close());

function mention(id: string, text: string, postedAt: string) {
  return { platform: "twitter", externalId: id, text, postedAt, language: "en" };
}

describe("GET /v1/terms", () => {
  it("lists terms rising against the previous week, counting retweets once", async () => {
    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["ingest", "read"]);
    const items = [];
    // background week (1-8 March): greetings and the odd billing question
    for (let i = 0; i < 20; i++) items.push(mention(`b${i}`, `hello team, question ${i % 3 === 0 ? "about billing" : "about my account"}`, `2026-03-0${1 + (i % 7)}T10:00:00Z`));
    // current week (8-15 March): twelve people writing differently about refunds, one tweet retweeted 30 times
    const openers = ["hello", "hi", "hey", "good morning"];
    const asks = ["where is my refund", "still no refund", "refund please", "need my refund today"];
    const tails = ["for the order", "for the broken chair", "for the tickets"];
    for (let i = 0; i < 12; i++) {
      const text = `${openers[i % 4]}, ${asks[i % 4]} ${tails[i % 3]}`;
      items.push(mention(`c${i}`, text, `2026-03-${String(8 + (i % 7)).padStart(2, "0")}T10:00:00Z`));
    }
    for (let i = 0; i < 30; i++) items.push(mention(`rt${i}`, `RT @acme: outage on checkout https://x.co/${i}`, `2026-03-09T1${i % 10}:00:00Z`));
    const res = await t.app.inject({ method: "POST", url: "/v1/mentions", headers: { authorization: auth }, payload: { items } });
    expect(res.json().accepted).toBe(items.length);
    await w.settle(ws);

    const body = (await t.app.inject({
      method: "GET", url: "/v1/terms?from=2026-03-08T00:00:00Z&to=2026-03-15T00:00:00Z&minCount=2", headers: { authorization: auth },
    })).json();
    expect(body.documents).toEqual({ current: 42, background: 20 });
    expect(body.population).toEqual({ current: 42, background: 20 }); // within the sample size: read whole
    expect(body.truncated).toBe(false);
    const terms = body.terms.map((x: { term: string }) => x.term);
    expect(terms[0]).toBe("refund");
    const refund = body.terms[0];
    // 12 distinct texts + 1 group for the 30 retweets
    expect(refund.current).toMatchObject({ count: 12, docs: 13 });
    expect(refund.background.count).toBe(0);
    expect(refund.significant).toBe(true);
    expect(terms).not.toContain("hello"); // as common before as now
    // thirty retweets are one document (below minCount 2) however often they were posted
    expect(terms.filter((x: string) => x.startsWith("outag") || x.startsWith("checkout"))).toEqual([]);
  });

  it("counts every kind unless one is asked for, reading only the items of the two periods", async () => {
    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["ingest", "read"]);
    const post = async (url: string, items: unknown[]) =>
      expect((await t.app.inject({ method: "POST", url, headers: { authorization: auth }, payload: { items } })).statusCode).toBe(202);
    // a year of older mentions the query must not read
    await post("/v1/mentions", Array.from({ length: 300 }, (_, i) => mention(`old${i}`, `old news ${i}`, new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString())));
    await post("/v1/mentions", Array.from({ length: 6 }, (_, i) => mention(`bg${i}`, `thanks for the help ${i}`, `2026-03-0${1 + i}T10:00:00Z`)));
    await post("/v1/mentions", [mention("m1", "where is my refund", "2026-03-09T10:00:00Z"), mention("m2", "refund still missing", "2026-03-10T10:00:00Z")]);
    await post("/v1/tickets", [
      { source: "api", externalId: "t1", channel: "email", status: "open", subject: "Refund", body: "Refund for order 1", createdAt: "2026-03-11T10:00:00Z" },
      { source: "api", externalId: "t2", channel: "chat", status: "open", subject: "Refund", body: "my refund please", createdAt: "2026-03-12T10:00:00Z" },
    ]);
    await post("/v1/surveys", [{ externalId: "s1", kind: "csat", score: 1, comment: "refund took weeks", respondedAt: "2026-03-13T10:00:00Z" }]);
    await w.settle(ws);

    const scanned = async () => Number((await t.mongo.client.db("admin").command({ serverStatus: 1 })).metrics.queryExecutor.scannedObjects);
    const terms = async (query: string) =>
      (await t.app.inject({ method: "GET", url: `/v1/terms?from=2026-03-08T00:00:00Z&to=2026-03-15T00:00:00Z&minCount=1${query}`, headers: { authorization: auth } })).json();
    const before = await scanned();
    const all = await terms("");
    const read = (await scanned()) - before;
    expect(all.documents).toEqual({ current: 5, background: 6 });
    expect(all.terms.find((x: { term: string }) => x.term === "refund")?.current.count, JSON.stringify(all.terms)).toBe(5);
    // the embedded store reports documents examined per process (a shared MongoDB counts every client's)
    if (!t.config.MONGO_URL) expect(read).toBeLessThan(20);
    expect((await terms("&kind=ticket")).documents.current).toBe(2);
    expect((await terms("&kind=survey")).documents.current).toBe(1);
  });
});

describe("the sample rising terms read of a long period", () => {
  it("spreads it over the period in proportion to its items, so a spike keeps its weight", async () => {
    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["ingest"]);
    // ten days: 40 mentions a day, and on 5 March 400 more about an outage (half the period's items)
    const items = [];
    for (let d = 0; d < 10; d++)
      for (let i = 0; i < 40; i++) items.push(mention(`d${d}-${i}`, `hello, question ${i} about my account`, new Date(Date.UTC(2026, 2, 1 + d, i % 24)).toISOString()));
    for (let i = 0; i < 400; i++) items.push(mention(`o${i}`, `the app is down again, outage number ${i}`, new Date(Date.UTC(2026, 2, 5, i % 24, i % 60)).toISOString()));
    for (let i = 0; i < items.length; i += 500) {
      const res = await t.app.inject({ method: "POST", url: "/v1/mentions", headers: { authorization: auth }, payload: { items: items.slice(i, i + 500) } });
      expect(res.statusCode, res.body).toBe(202);
    }
    await w.settle(ws);

    const q = { workspace: ws, from: new Date("2026-03-01T00:00:00Z"), to: new Date("2026-03-11T00:00:00Z") };
    const sample = await readTermSample(t.mongo.cols, { ...q, limit: 100 });
    expect(sample.population).toBe(800);
    expect(sample.items.length).toBeGreaterThanOrEqual(95);
    expect(sample.items.length).toBeLessThanOrEqual(105);
    const onSpikeDay = sample.items.filter((i) => i.at.toISOString().startsWith("2026-03-05")).length;
    // the spike's day is 440 of 800 items: 55% of the sample, whatever order they were read in
    expect(onSpikeDay / sample.items.length).toBeGreaterThan(0.5);
    expect(onSpikeDay / sample.items.length).toBeLessThan(0.6);
    // every day has its share (newest-first reading of the whole period would have none of 1-4 March)
    const days = new Set(sample.items.map((i) => i.at.toISOString().slice(0, 10)));
    expect(days.size).toBe(10);
    expect(new Set(sample.items.map((i) => i._id)).size).toBe(sample.items.length);

    const whole = await readTermSample(t.mongo.cols, { ...q, limit: 1_000 });
    expect(whole).toMatchObject({ population: 800 });
    expect(whole.items).toHaveLength(800);
  });
});
