import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";
import { makeTestWorkers } from "../../support/workers";

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
});
