/**
 * Metric tables computed by hand, through the API: local-day buckets across both 2026 DST changes
 * in Europe/Amsterdam, ISO week starts, empty buckets, p90 of a known distribution, NPS / CSAT /
 * CES, sentiment parts, and the FCR change against the previous period as a two-proportion z-test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";
import { makeTestWorkers } from "../../support/workers";
import { normalTwoSidedPByHand } from "../../support/trends-helpers";

const H = 3_600_000;
const AMS = "tz=Europe/Amsterdam";

let t: TestApi;
let w: ReturnType<typeof makeTestWorkers>;
beforeAll(async () => {
  t = await makeTestApi();
  w = makeTestWorkers(t.config, t.mongo, t.queues);
});
afterAll(async () => t?.close());

type Kind = "tickets" | "mentions" | "surveys";

/** A fresh workspace with the given items ingested and settled. */
async function workspaceWith(items: Partial<Record<Kind, Record<string, unknown>[]>>) {
  const ws = randomId("ws");
  const auth = await t.bearer(ws, ["ingest", "read"]);
  for (const [kind, list] of Object.entries(items)) {
    const res = await t.app.inject({ method: "POST", url: `/v1/${kind}`, headers: { authorization: auth }, payload: { items: list } });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().rejected, res.body).toBe(0);
  }
  await w.settle(ws);
  return {
    ws,
    async get(url: string) {
      const res = await t.app.inject({ method: "GET", url, headers: { authorization: auth } });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    },
  };
}

let seq = 0;
const ticket = (createdAt: string, extra: Record<string, unknown> = {}) => ({
  source: "api",
  externalId: `k${++seq}`,
  channel: "email",
  subject: "Order",
  body: "Where is my order?",
  status: "open",
  createdAt,
  ...extra,
});
const plus = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * H).toISOString();

interface Point {
  start: string;
  value: number | null;
  n: number;
  parts: Record<string, number | null>;
}
const points = (body: { groups: { points: Point[] }[] }) => body.groups[0]!.points;

describe("day buckets on DST-change days in Europe/Amsterdam", () => {
  // 2026-03-29: 00:00 CET (+01) ... 02:00 -> 03:00 CEST (+02): 23 hours.
  // 2026-10-25: 00:00 CEST (+02) ... 03:00 -> 02:00 CET (+01): 25 hours.
  const spring = {
    "2026-03-28T23:30+01:00": "2026-03-28", // the evening before (UTC 22:30 on the 28th)
    "2026-03-29T00:30+01:00": "2026-03-29", // UTC 23:30 on the 28th
    "2026-03-29T23:30+02:00": "2026-03-29", // UTC 21:30 on the 29th
    "2026-03-30T00:30+02:00": "2026-03-30", // UTC 22:30 on the 29th
  };
  const autumn = {
    "2026-10-24T23:30+02:00": "2026-10-24", // UTC 21:30 on the 24th
    "2026-10-25T00:30+02:00": "2026-10-25", // UTC 22:30 on the 24th
    "2026-10-25T23:30+01:00": "2026-10-25", // UTC 22:30 on the 25th
    "2026-10-26T00:30+01:00": "2026-10-26", // UTC 23:30 on the 25th
  };
  let api: Awaited<ReturnType<typeof workspaceWith>>;
  beforeAll(async () => {
    api = await workspaceWith({ tickets: Object.keys({ ...spring, ...autumn }).map((at) => ticket(new Date(at).toISOString())) });
  });

  it("puts local 00:30 and 23:30 of the 23-hour day in that day, whose buckets start at local midnight", async () => {
    const body = await api.get(`/v1/trends/volume?from=2026-03-28T00:00:00%2B01:00&to=2026-03-31T00:00:00%2B02:00&interval=day&${AMS}`);
    expect(points(body).map((p) => [p.start, p.n])).toEqual([
      ["2026-03-27T23:00:00.000Z", 1], // 28 March, CET
      ["2026-03-28T23:00:00.000Z", 2], // 29 March starts at 00:00 CET
      ["2026-03-29T22:00:00.000Z", 1], // 30 March starts at 00:00 CEST
    ]);
    const hours = await api.get(`/v1/trends/volume?from=2026-03-29T00:00:00%2B01:00&to=2026-03-30T00:00:00%2B02:00&interval=hour&${AMS}`);
    expect(points(hours)).toHaveLength(23);
    // the same instants in UTC days would split differently
    const utc = await api.get(`/v1/trends/volume?from=2026-03-28T00:00:00Z&to=2026-03-31T00:00:00Z&interval=day&tz=UTC`);
    expect(points(utc).map((p) => p.n)).toEqual([2, 2, 0]);
  });

  it("puts local 00:30 and 23:30 of the 25-hour day in that day", async () => {
    const body = await api.get(`/v1/trends/volume?from=2026-10-24T00:00:00%2B02:00&to=2026-10-27T00:00:00%2B01:00&interval=day&${AMS}`);
    expect(points(body).map((p) => [p.start, p.n])).toEqual([
      ["2026-10-23T22:00:00.000Z", 1], // 24 October, CEST
      ["2026-10-24T22:00:00.000Z", 2], // 25 October starts at 00:00 CEST
      ["2026-10-25T23:00:00.000Z", 1], // 26 October starts at 00:00 CET
    ]);
    const hours = await api.get(`/v1/trends/volume?from=2026-10-25T00:00:00%2B02:00&to=2026-10-26T00:00:00%2B01:00&interval=hour&${AMS}`);
    expect(points(hours)).toHaveLength(25);
    expect(points(hours).reduce((s, p) => s + p.n, 0)).toBe(2);
  });

  it("starts week buckets on Monday local midnight, across the spring change", async () => {
    // Monday 23 March 00:00 CET to Monday 6 April 00:00 CEST: two weeks.
    const body = await api.get(`/v1/trends/volume?from=2026-03-23T00:00:00%2B01:00&to=2026-04-06T00:00:00%2B02:00&interval=week&${AMS}`);
    // Sat 28th 23:30, Sun 29th 00:30 and 23:30 in the first week; Mon 30th 00:30 in the second.
    expect(points(body).map((p) => [p.start, p.n])).toEqual([
      ["2026-03-22T23:00:00.000Z", 3],
      ["2026-03-29T22:00:00.000Z", 1],
    ]);
    // A range starting mid-week still gets buckets that start on Mondays (UTC here).
    const utc = await api.get(`/v1/trends/volume?from=2026-10-21T00:00:00Z&to=2026-11-04T00:00:00Z&interval=week&tz=UTC`);
    expect(points(utc).map((p) => p.start)).toEqual(["2026-10-19T00:00:00.000Z", "2026-10-26T00:00:00.000Z", "2026-11-02T00:00:00.000Z"]);
    for (const p of points(utc)) expect(new Date(p.start).getUTCDay()).toBe(1);
    // Sat 24th 21:30Z, Sat 24th 22:30Z and Sun 25th 22:30Z in the first; Sun 25th 23:30Z is still Sunday in UTC.
    expect(points(utc).map((p) => p.n)).toEqual([4, 0, 0]);
  });
});

describe("means, quantiles and empty buckets", () => {
  const day = "2026-05-04T08:00:00Z"; // a Monday
  let api: Awaited<ReturnType<typeof workspaceWith>>;
  beforeAll(async () => {
    // First responses after 1..10 hours, all answered on 4 May; resolved 12 h after creation.
    const tickets = Array.from({ length: 10 }, (_, i) =>
      ticket(day, {
        firstResponseAt: plus(day, i + 1),
        status: "solved",
        resolvedAt: plus(day, 12),
        agentReplies: 1,
        handleTimeSec: 600 * (i + 1),
      }),
    );
    api = await workspaceWith({ tickets });
  });

  it("reports p90 of first-response times 1..10 h within the sketch's 2% of the exact p90", async () => {
    const body = await api.get(`/v1/trends/first-response-time?from=2026-05-04T00:00:00Z&to=2026-05-06T00:00:00Z&interval=day`);
    expect(body.definition).toBe("first-response-time.v1");
    const [mon, tue] = points(body);
    expect(mon!.n).toBe(10);
    expect(mon!.value).toBe(5.5 * 3600); // exact mean
    // exact p90 (nearest rank, ⌈0.9·10⌉ = 9th of 1..10 h) = 9 h; median (5th) = 5 h
    expect(Math.abs(mon!.parts.p90! / (9 * 3600) - 1)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(mon!.parts.median! / (5 * 3600) - 1)).toBeLessThanOrEqual(0.02);
    // the empty Tuesday: n = 0 and every mean and quantile null, never 0
    expect(tue).toMatchObject({ n: 0, value: null, parts: { mean: null, median: null, p90: null } });
  });

  it("gives null means and zero counts for empty buckets of every metric", async () => {
    const range = `from=2026-05-05T00:00:00Z&to=2026-05-06T00:00:00Z&interval=day`;
    for (const metric of ["resolution-time", "handle-time", "fcr", "reopen-rate", "nps", "csat", "ces", "sentiment"]) {
      const [p] = points(await api.get(`/v1/trends/${metric}?${range}`));
      expect(p, metric).toMatchObject({ n: 0, value: null });
    }
    for (const metric of ["volume", "mentions"]) {
      const [p] = points(await api.get(`/v1/trends/${metric}?${range}`));
      expect(p, metric).toMatchObject({ n: 0, value: 0 });
    }
    const handle = await api.get(`/v1/trends/handle-time?from=2026-05-04T00:00:00Z&to=2026-05-05T00:00:00Z&interval=day`);
    expect(points(handle)[0]).toMatchObject({ n: 10, value: 3300 }); // mean of 600..6000 s
  });
});

describe("survey metrics on hand-computed tables", () => {
  const d1 = "2026-06-01T10:00:00Z";
  const d2 = "2026-06-02T10:00:00Z";
  const surveys: Record<string, unknown>[] = [];
  const add = (kind: string, scale: number, scores: number[], respondedAt: string, touchpoint: string) =>
    scores.forEach((score) =>
      surveys.push({ externalId: `s${surveys.length}`, kind, scale, score, respondedAt, touchpoint, comment: "" }),
    );
  // NPS: promoters 10,10,9,9,9 (5), passives 8,7 (2), detractors 6,3,0 (3): NPS = (5 - 3)/10 = +20
  add("nps", 10, [10, 10, 9, 9, 9, 8, 7, 6, 3, 0], d1, "support");
  // CSAT 1-5 on day 1: satisfied (4-5) 3 of 5 = 60 %, mean (5+5+4+3+1)/5 = 3.6
  add("csat", 5, [5, 5, 4, 3, 1], d1, "support");
  // CSAT 1-10 on day 2: satisfied (8-10) 2 of 4 = 50 %, mean on 1-5 of 1 + 4(s-1)/9: (5 + 37/9 + 33/9 + 1)/4 = 31/9
  add("csat", 10, [10, 8, 7, 1], d2, "onboarding");
  // CES 1-7 on day 1: mean 24/5 = 4.8, low effort (5-7) 3 of 5
  add("ces", 7, [7, 6, 5, 4, 2], d1, "support");
  // CES 1-5 on day 2: on 1-7 as 1 + 1.5(s-1): 7, 5.5, 4, 1 → mean 4.375; low effort (4-5) 2 of 4
  add("ces", 5, [5, 4, 3, 1], d2, "support");
  const range = "from=2026-06-01T00:00:00Z&to=2026-06-03T00:00:00Z&interval=day";
  let api: Awaited<ReturnType<typeof workspaceWith>>;
  beforeAll(async () => {
    api = await workspaceWith({
      surveys,
      tickets: [
        ticket(d1, { body: "Thank you, great and friendly help, I love it!" }),
        ticket(d1, { body: "Terrible service, still waiting, I am very angry and disappointed." }),
        ticket(d1, { body: "The invoice number is 12345." }),
      ],
      mentions: [{ platform: "twitter", externalId: "m1", text: "Awful app, it crashes all the time. Worst support ever.", postedAt: d2 }],
    });
  });

  it("NPS: promoters, passives, detractors and the score", async () => {
    const body = await api.get(`/v1/trends/nps?${range}`);
    expect(body.definition).toBe("nps.v1");
    expect(points(body)[0]).toEqual({ start: "2026-06-01T00:00:00.000Z", n: 10, value: 20, parts: { promoters: 5, passives: 2, detractors: 3 } });
    expect(points(body)[1]).toMatchObject({ n: 0, value: null });
  });

  it("CSAT on 1-5 and 1-10 scales: % satisfied and the mean on 1-5", async () => {
    const body = await api.get(`/v1/trends/csat?${range}`);
    expect(body.definition).toBe("csat.v1");
    const [a, b] = points(body);
    expect(a).toMatchObject({ n: 5, value: 60, parts: { satisfied: 3 } });
    expect(a!.parts.mean).toBeCloseTo(3.6, 9);
    expect(b).toMatchObject({ n: 4, value: 50, parts: { satisfied: 2 } });
    expect(b!.parts.mean).toBeCloseTo(31 / 9, 9);
    expect(body.groups[0].total).toMatchObject({ n: 9, parts: { satisfied: 5 } });
    expect(body.groups[0].total.value).toBeCloseTo(500 / 9, 9);
    expect(body.groups[0].total.parts.mean).toBeCloseTo((18 + 31 / 9 * 4) / 9, 9);
    // a dimension filter reads only that touchpoint
    const onboarding = await api.get(`/v1/trends/csat?${range}&touchpoint=onboarding`);
    expect(onboarding.groups[0].total).toMatchObject({ n: 4, value: 50 });
  });

  it("CES: mean on 1-7 and the low-effort share", async () => {
    const body = await api.get(`/v1/trends/ces?${range}`);
    expect(body.definition).toBe("ces.v1");
    const [a, b] = points(body);
    expect(a).toMatchObject({ n: 5, parts: { lowEffort: 3, lowEffortPct: 60 } });
    expect(a!.value).toBeCloseTo(4.8, 9);
    expect(b).toMatchObject({ n: 4, parts: { lowEffort: 2, lowEffortPct: 50 } });
    expect(b!.value).toBeCloseTo(4.375, 9);
    expect(body.groups[0].total.value).toBeCloseTo((24 + 17.5) / 9, 9);
  });

  it("sentiment: positive, neutral and negative parts that add up to n", async () => {
    const body = await api.get(`/v1/trends/sentiment?${range}`);
    expect(body.definition).toBe("sentiment.v1");
    const withSentiment = await t.mongo.cols.items.countDocuments({ workspace: api.ws, "enrichment.sentiment": { $ne: null } });
    const total = body.groups[0].total;
    expect(total.n).toBe(withSentiment);
    expect(total.n).toBeGreaterThanOrEqual(4);
    const { positive, neutral, negative, shareNegative, net, meanScore } = total.parts;
    expect(positive! + neutral! + negative!).toBe(total.n);
    expect(positive).toBeGreaterThanOrEqual(1);
    expect(negative).toBeGreaterThanOrEqual(2);
    expect(total.value).toBeCloseTo((100 * negative!) / total.n, 9);
    expect(shareNegative).toBe(total.value);
    expect(net).toBeCloseTo((positive! - negative!) / total.n, 9);
    expect(meanScore).toBeGreaterThanOrEqual(-1);
    expect(meanScore).toBeLessThanOrEqual(1);
    for (const p of points(body)) expect(p.parts.positive! + p.parts.neutral! + p.parts.negative!).toBe(p.n);
    // the mention's sentiment is in day 2, by kind
    const mentions = await api.get(`/v1/trends/sentiment?${range}&kind=mention`);
    expect(points(mentions).map((p) => p.n)).toEqual([0, 1]);
    expect(points(mentions)[1]!.parts.negative).toBe(1);
  });
});

describe("FCR change against the previous period", () => {
  // Resolved tickets per day: (one-touch, resolved) = 8/20 on 1 July, 18/20 on 2 July, 15/20 on 3 July.
  const days = [
    ["2026-07-01T09:00:00Z", 8, 20],
    ["2026-07-02T09:00:00Z", 18, 20],
    ["2026-07-03T09:00:00Z", 15, 20],
  ] as const;
  let api: Awaited<ReturnType<typeof workspaceWith>>;
  beforeAll(async () => {
    const tickets = days.flatMap(([at, one, n]) =>
      Array.from({ length: n }, (_, i) =>
        ticket(at, {
          status: "solved",
          resolvedAt: plus(at, 2),
          firstResponseAt: plus(at, 1),
          // not one-touch: alternately two replies, or one reply but reopened once
          ...(i < one ? { agentReplies: i % 2 } : i % 2 ? { agentReplies: 2 } : { agentReplies: 1, reopens: 1 }),
        }),
      ),
    );
    api = await workspaceWith({ tickets });
  });

  /** Pooled two-proportion z and its two-sided p-value, by hand. */
  function byHand(x1: number, n1: number, x2: number, n2: number) {
    const p = (x1 + x2) / (n1 + n2);
    const z = (x1 / n1 - x2 / n2) / Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
    return { z, p: normalTwoSidedPByHand(z) };
  }

  it("matches a hand-computed two-proportion z-test (significant rise)", async () => {
    const body = await api.get(`/v1/trends/fcr?from=2026-07-02T00:00:00Z&to=2026-07-03T00:00:00Z&interval=day`);
    expect(body.previous).toEqual({ from: "2026-07-01T00:00:00.000Z", to: "2026-07-02T00:00:00.000Z" });
    const g = body.groups[0];
    expect(g.total).toMatchObject({ n: 20, value: 90, parts: { resolved: 20, oneTouch: 18 } });
    const { z, p } = byHand(18, 20, 8, 20);
    // p = 26/40 = 0.65, se = √(0.65·0.35·0.1) = 0.150831..., z = 0.5/se = 3.31497...
    expect(z).toBeCloseTo(3.31497, 4);
    expect(g.change).toMatchObject({ previous: 40, delta: 50, test: "two-proportion-z", significant: true });
    expect(g.change.statistic).toBeCloseTo(z, 9);
    expect(Math.abs(g.change.pValue - p)).toBeLessThan(1e-6);
    expect(p).toBeLessThan(0.001);
  });

  it("matches a hand-computed two-proportion z-test (a fall that is not significant)", async () => {
    const body = await api.get(`/v1/trends/fcr?from=2026-07-03T00:00:00Z&to=2026-07-04T00:00:00Z&interval=day`);
    const g = body.groups[0];
    const { z, p } = byHand(15, 20, 18, 20);
    expect(g.change.previous).toBe(90);
    expect(g.change.delta).toBeCloseTo(-15, 9);
    expect(g.change.statistic).toBeCloseTo(z, 9);
    expect(Math.abs(g.change.pValue - p)).toBeLessThan(1e-6);
    expect(p).toBeGreaterThan(0.05);
    expect(g.change.significant).toBe(false);
  });
});
