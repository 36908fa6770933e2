/**
 * The pure parts of alert rules: which buckets are due, what a rule's bucket reads and sums, what a
 * spike counts per metric, one rule step (spike and threshold), and the notification payloads.
 */
import { describe, expect, it } from "vitest";
import { notificationUrlProblem, redactedTarget, type AlertView } from "../../../shared/domain/alerts/alert-doc";
import { EpisodeEvent } from "../../../shared/domain/alerts/episodes";
import { dashboardLinkOf, slackMessageOf } from "../../../shared/domain/alerts/notifications";
import { bucketMeasuresOf, dueBuckets, ruleSelectionOf, slotMeasuresOf, spikeInputOf } from "../../../shared/domain/alerts/rule-series";
import { initialRuleState, stepRule, type RuleSpec, type RuleState } from "../../../shared/domain/alerts/rule-step";
import type { RollupDoc } from "../../../shared/domain/metrics/rollups";
import { seededRandom } from "../../../bench/support/seeded-random";

const MIN = 60_000;
const T0 = Date.parse("2026-03-02T00:00:00Z");

describe("dueBuckets", () => {
  it("starts a new rule at the newest bucket that ended at least the settle time ago", () => {
    // at 10:07:30 with 60 s settle, 10:00-10:05 is the newest bucket that ended a minute ago (10:05-10:10 is still running)
    expect(dueBuckets(null, 300, T0 + 10 * 60 * MIN + 7.5 * MIN, MIN, 10)).toEqual([T0 + 10 * 60 * MIN]);
    // at 10:05:30 the 10:00 bucket ended only 30 s ago
    expect(dueBuckets(null, 300, T0 + 10 * 60 * MIN + 5.5 * MIN, MIN, 10)).toEqual([T0 + 9 * 60 * MIN + 55 * MIN]);
  });

  it("lists the buckets after the last one, oldest first, at most `max` per call", () => {
    const last = T0;
    expect(dueBuckets(last, 300, T0 + 31 * MIN, 0, 100)).toEqual([5, 10, 15, 20, 25].map((m) => T0 + m * MIN));
    expect(dueBuckets(last, 300, T0 + 31 * MIN, 0, 2)).toEqual([T0 + 5 * MIN, T0 + 10 * MIN]);
    expect(dueBuckets(last, 300, T0 + 9 * MIN, 0, 100)).toEqual([]);
  });
});

describe("what a rule's buckets read", () => {
  it("below an hour: the 5-minute cut, with the metric's where and kind/surveyKind filters as dimensions", () => {
    const sel = ruleSelectionOf("nps", "15m", {}, T0, T0 + 15 * MIN);
    expect(sel).toMatchObject({ family: "surveys", cut: "5m", dims: { surveyKind: ["nps"] }, tag: null });
    expect(ruleSelectionOf("sentiment", "5m", { kind: "mention" }, T0, T0 + 5 * MIN).dims).toEqual({ kind: ["mention"] });
    expect(() => ruleSelectionOf("volume", "5m", { channel: "email" }, T0, T0 + 5 * MIN)).toThrow(/channel needs a resolution of an hour/);
  });

  it("from an hour: the cheapest hourly cut, as a trend query with the same filters", () => {
    expect(ruleSelectionOf("volume", "1h", { channel: "email" }, T0, T0 + 60 * MIN)).toMatchObject({ cut: "channel", dims: { channel: ["email"] } });
    expect(ruleSelectionOf("volume", "1d", {}, T0, T0 + 1440 * MIN)).toMatchObject({ cut: "", tag: null });
  });

  it("sums whole slots of the bucket, across a UTC midnight, from matching documents only", () => {
    const doc = (day: string, dims: Record<string, string>, h: Record<string, Record<string, number>>): RollupDoc =>
      ({ family: "sentiment", day, cut: "5m", dims, tag: null, h }) as RollupDoc;
    const docs = [
      doc("2026-03-01", { kind: "mention" }, { 286: { n: 4, neg: 1 }, 287: { n: 5, neg: 3 }, 285: { n: 100, neg: 100 } }),
      doc("2026-03-02", { kind: "mention" }, { 0: { n: 2, neg: 2 }, 1: { n: 50, neg: 50 } }),
      doc("2026-03-02", { kind: "ticket" }, { 0: { n: 7, neg: 7 } }),
    ];
    const sel = ruleSelectionOf("sentiment", "15m", { kind: "mention" }, T0 - 10 * MIN, T0 + 5 * MIN);
    // 23:50, 23:55 and 00:00: mentions only
    expect(bucketMeasuresOf(slotMeasuresOf(docs, sel), T0 - 10 * MIN, T0 + 5 * MIN)).toEqual({ n: 11, neg: 6 });
  });
});

describe("what a spike counts", () => {
  it.each([
    ["volume", { n: 12 }, { count: 12, exposure: 1 }],
    ["sentiment", { n: 40, neg: 9, pos: 20 }, { count: 9, exposure: 40 }],
    ["fcr", { n: 30, fcr: 21 }, { count: 9, exposure: 30 }],
    ["nps", { n: 50, detractors: 11, promoters: 30 }, { count: 11, exposure: 50 }],
    ["csat", { n: 10, satisfied: 7 }, { count: 3, exposure: 10 }],
  ] as const)("%s %j → %j", (metric, m, want) => {
    expect(spikeInputOf(metric, m)).toEqual(want);
  });

  it("has no spike form for averages", () => {
    expect(spikeInputOf("resolution-time", { n: 3, sum: 100 })).toBeNull();
  });
});

describe("stepRule", () => {
  const spike: RuleSpec = { kind: "spike", metric: "mentions", resolution: "5m", sensitivity: "medium" };

  it("opens one episode for a spike injected into a generated series, and resolves it", () => {
    const rnd = seededRandom(5);
    let state: RuleState = initialRuleState();
    const events: Array<[number, number]> = [];
    const spikeAt = 3 * 288 + 100; // three days in
    for (let i = 0; i < 4 * 288; i++) {
      const dayPhase = Math.sin((2 * Math.PI * (i % 288)) / 288);
      let x = Math.round(8 + 4 * dayPhase + (rnd() - 0.5) * 4);
      if (i >= spikeAt && i < spikeAt + 3) x += 80;
      const step = stepRule(spike, state, T0 + i * 5 * MIN, { n: x });
      state = step.state;
      if (step.event === EpisodeEvent.Opened || step.event === EpisodeEvent.Resolved) events.push([i, step.event]);
    }
    expect(events).toHaveLength(2);
    expect(events[0]).toEqual([spikeAt, EpisodeEvent.Opened]);
    expect(events[1]![1]).toBe(EpisodeEvent.Resolved);
    expect(events[1]![0]).toBeGreaterThan(spikeAt + 3);
  });

  it("ignores a bucket at or before the last one (a retried bucket changes nothing)", () => {
    const s1 = stepRule(spike, initialRuleState(), T0, { n: 5 });
    const again = stepRule(spike, s1.state, T0, { n: 500 });
    expect(again.event).toBe(EpisodeEvent.None);
    expect(again.state).toBe(s1.state);
  });

  it("a threshold with too few items behind the value stays quiet", () => {
    const rule: RuleSpec = { kind: "threshold", metric: "sentiment", resolution: "1h", sensitivity: "medium", threshold: { bound: 50, direction: "above", minN: 30 } };
    const few = stepRule(rule, initialRuleState(), T0, { n: 4, neg: 4 }); // 100 % negative of 4
    expect(few.event).toBe(EpisodeEvent.None);
    const enough = stepRule(rule, few.state, T0 + 60 * MIN, { n: 40, neg: 30 });
    expect(enough.event).toBe(EpisodeEvent.Opened);
    expect(enough.reading).toMatchObject({ value: 75, n: 40, expected: 50 });
  });
});

describe("notifications", () => {
  const alert: AlertView = {
    id: "r0123456789abcdef-abc",
    ruleId: "r0123456789abcdef",
    ruleName: "Refunds <urgent> & more",
    kind: "spike",
    metric: "volume",
    searchId: "s0123456789abcdef",
    resolution: "15m",
    state: "open",
    openedAt: new Date(T0),
    resolvedAt: null,
    opening: { at: new Date(T0), value: 42, n: 42, expected: 6.2, lower: 1.5, upper: 11, z: 9.1, windowSec: 900 },
    peak: { at: new Date(T0), value: 42, n: 42, expected: 6.2, lower: 1.5, upper: 11, z: 9.1, windowSec: 900 },
    why: {
      window: { from: new Date(T0), to: new Date(T0 + 15 * MIN) },
      background: { from: new Date(T0 - 7 * 1440 * MIN), to: new Date(T0) },
      terms: [{ term: "refund", current: 30, currentShare: 0.714, backgroundShare: 0.021 }],
      examples: [{ id: "t1", kind: "ticket", at: new Date(T0), text: "Where is my <refund>?" }],
    },
    acknowledgedAt: null,
    acknowledgedBy: null,
    deliveries: [],
  };

  it("builds a Block Kit message: header, reading fields, rising terms, examples, link", () => {
    const link = dashboardLinkOf("https://uc.example.com/", alert);
    expect(link).toBe("https://uc.example.com/searches/s0123456789abcdef?metric=volume&period=custom&from=2026-03-01&to=2026-03-02&interval=hour&tz=UTC");
    const msg = slackMessageOf(alert, link);
    expect(msg.text).toBe("Spike in tickets created: Refunds <urgent> & more — 42 (expected 6.2, normal 1.5–11; n 42)");
    const blocks = msg.blocks as Array<Record<string, any>>;
    expect(blocks.map((b) => b.type)).toEqual(["header", "section", "section", "context", "actions"]);
    expect(blocks[0]!.text).toEqual({ type: "plain_text", text: "Spike in tickets created: Refunds <urgent> & more", emoji: true });
    expect(blocks[1]!.fields[3].text).toBe("*Rule*\nRefunds &lt;urgent&gt; &amp; more"); // mrkdwn is escaped
    expect(blocks[2]!.text.text).toBe("*Rising terms*\n*refund* 71% (usually 2.1%)");
    expect(blocks[3]!.elements[0].text).toBe("_ticket_ Where is my &lt;refund&gt;?");
    expect(blocks[4]!.elements[0]).toMatchObject({ type: "button", url: link });
    expect((slackMessageOf(alert, null).blocks as Array<{ type: string }>).some((b) => b.type === "actions")).toBe(false);
    expect(blocks[1]!.fields[1].text).toBe(`*Since*\n<!date^${T0 / 1000}^{date_short_pretty} {time}|${new Date(T0).toISOString()}>`);
  });

  it("says so when the alert is over by the time the message goes out (a retry, or an evaluator catching up)", () => {
    const resolvedAt = new Date(T0 + 4 * 60 * MIN);
    const msg = slackMessageOf({ ...alert, state: "resolved", resolvedAt }, null);
    expect(msg.text).toBe(`Spike in tickets created: Refunds <urgent> & more (resolved) — 42 (expected 6.2, normal 1.5–11; n 42), resolved ${resolvedAt.toISOString()}`);
    const blocks = msg.blocks as Array<Record<string, any>>;
    expect(blocks[0]!.text.text).toBe("Spike in tickets created: Refunds <urgent> & more (resolved)");
    expect(blocks[1]!.fields[1].text).toBe(
      `*From – to*\n<!date^${T0 / 1000}^{date_short_pretty} {time}|${new Date(T0).toISOString()}> – <!date^${resolvedAt.getTime() / 1000}^{date_short_pretty} {time}|${resolvedAt.toISOString()}>`,
    );
  });

  it("refuses notification URLs that would leak or travel in clear", () => {
    expect(notificationUrlProblem("https://hooks.slack.com/services/T/B/x", true)).toBeNull();
    expect(notificationUrlProblem("http://127.0.0.1:9000/hook", false)).toBeNull();
    expect(notificationUrlProblem("http://hooks.example.com/x", true)).toBe("must use https");
    expect(notificationUrlProblem("https://u:p@hooks.example.com/x", false)).toBe("must not contain a user name or password");
    expect(notificationUrlProblem("ftp://x.example.com/", false)).toBe("must be an http(s) URL");
    expect(notificationUrlProblem("hooks.example.com", false)).toBe("must be an absolute URL");
    expect(redactedTarget("https://hooks.slack.com/services/T/B/secret?x=1")).toBe("https://hooks.slack.com/…");
  });
});
