import { describe, expect, it } from "vitest";
import type { RollupItem } from "../../../shared/domain/metrics/contribution";
import { contributionsOf } from "../../../shared/domain/metrics/contributions-of";
import { rollupDocsOf, type RollupDoc } from "../../../shared/domain/metrics/rollups";
import { previousRange, rollupSelectionOf, seriesOf, totalsOf, trendOf } from "../../../shared/domain/metrics/series";
import { survey, ticket } from "./fixtures";

const AMS = "Europe/Amsterdam";
const at = (s: string) => new Date(s);
const docsOf = (items: RollupItem[]): RollupDoc[] => [...rollupDocsOf("acme", "all", items.flatMap(contributionsOf)).values()];
const created = (iso: string, over: Parameters<typeof ticket>[0] = {}) => ticket({ createdAt: at(iso), ...over });
const starts = (s: ReturnType<typeof seriesOf>, g = 0) => s.groups[g]!.points.map((p) => p.start.toISOString());
const values = (s: ReturnType<typeof seriesOf>, g = 0) => s.groups[g]!.points.map((p) => p.value);

describe("seriesOf by local day across DST in Europe/Amsterdam", () => {
  it("puts items in the local day of the 23-hour spring day and keeps empty days", () => {
    const docs = docsOf([
      created("2026-03-27T22:50:00Z"), // 27th 23:50 CET
      created("2026-03-28T23:10:00Z"), // 29th 00:10 CET (first hour of the 23-hour day)
      created("2026-03-29T21:59:00Z"), // 29th 23:59 CEST (last hour)
      created("2026-03-29T22:00:00Z"), // 30th 00:00 CEST
    ]);
    const s = seriesOf("volume", docs, { from: at("2026-03-26T23:00:00Z"), to: at("2026-03-30T22:00:00Z"), interval: "day", tz: AMS });
    expect(s).toMatchObject({ metric: "volume", definition: "volume.v1", unit: "count" });
    expect(starts(s)).toEqual([
      "2026-03-26T23:00:00.000Z", "2026-03-27T23:00:00.000Z", "2026-03-28T23:00:00.000Z", "2026-03-29T22:00:00.000Z",
    ]);
    expect(values(s)).toEqual([1, 0, 2, 1]);
    expect(s.groups[0]!.total).toEqual({ value: 4, n: 4, parts: { count: 4 } });
  });

  it("counts all 25 hours of the autumn day", () => {
    const docs = docsOf([
      created("2026-10-24T21:59:00Z"), // 24th 23:59 CEST
      created("2026-10-24T22:00:00Z"), // 25th 00:00 CEST
      created("2026-10-25T00:30:00Z"), // 02:30 CEST (first pass)
      created("2026-10-25T01:30:00Z"), // 02:30 CET (second pass)
      created("2026-10-25T22:59:00Z"), // 25th 23:59 CET
      created("2026-10-25T23:00:00Z"), // 26th
    ]);
    const s = seriesOf("volume", docs, { from: at("2026-10-23T22:00:00Z"), to: at("2026-10-26T23:00:00Z"), interval: "day", tz: AMS });
    expect(values(s)).toEqual([1, 4, 1]);
  });

  it("gives hourly buckets with the repeated 02:00 hour as two buckets", () => {
    const docs = docsOf([created("2026-10-25T00:30:00Z"), created("2026-10-25T01:30:00Z"), created("2026-10-25T01:45:00Z")]);
    const s = seriesOf("volume", docs, { from: at("2026-10-24T22:00:00Z"), to: at("2026-10-25T23:00:00Z"), interval: "hour", tz: AMS });
    expect(s.groups[0]!.points).toHaveLength(25);
    expect(values(s).slice(1, 4)).toEqual([0, 1, 2]);
  });
});

describe("seriesOf by week and month", () => {
  const docs = docsOf([
    created("2026-03-01T12:00:00Z"), // Sunday → week of Feb 23
    created("2026-03-02T00:30:00Z"), // Monday 01:30 CET → week of Mar 2
    created("2026-03-08T22:30:00Z"), // Sunday 23:30 CET → still week of Mar 2
    created("2026-03-31T22:30:00Z"), // April 1st 00:30 CEST → April
  ]);

  it("starts ISO weeks on Monday 00:00 local", () => {
    const s = seriesOf("volume", docs, { from: at("2026-02-22T23:00:00Z"), to: at("2026-03-15T23:00:00Z"), interval: "week", tz: AMS });
    expect(starts(s)).toEqual(["2026-02-22T23:00:00.000Z", "2026-03-01T23:00:00.000Z", "2026-03-08T23:00:00.000Z"]);
    expect(values(s)).toEqual([1, 2, 0]);
  });

  it("starts months on the 1st local", () => {
    const s = seriesOf("volume", docs, { from: at("2026-02-28T23:00:00Z"), to: at("2026-04-30T22:00:00Z"), interval: "month", tz: AMS });
    expect(starts(s)).toEqual(["2026-02-28T23:00:00.000Z", "2026-03-31T22:00:00.000Z"]);
    expect(values(s)).toEqual([3, 1]);
  });
});

describe("seriesOf rates and means", () => {
  const solved = (resolvedAt: string, replies: number, reopens = 0, createdAt = "2026-03-02T08:00:00Z") =>
    ticket({ createdAt: at(createdAt), status: "solved", agentReplies: replies, reopens, resolvedAt: at(resolvedAt) });

  it("computes FCR per resolvedAt day with null for a day without resolved tickets", () => {
    const docs = docsOf([
      solved("2026-03-02T09:00:00Z", 0),
      solved("2026-03-02T10:00:00Z", 1),
      solved("2026-03-02T11:00:00Z", 2),
      solved("2026-03-02T12:00:00Z", 1, 1),
      solved("2026-03-04T12:00:00Z", 1),
      ticket({ createdAt: at("2026-03-03T12:00:00Z") }), // open: not in FCR
    ]);
    const s = seriesOf("fcr", docs, { from: at("2026-03-02T00:00:00Z"), to: at("2026-03-05T00:00:00Z"), interval: "day", tz: "UTC" });
    expect(s.groups[0]!.points.map((p) => [p.value, p.n])).toEqual([[50, 4], [null, 0], [100, 1]]);
    expect(s.groups[0]!.total).toEqual({ value: 60, n: 5, parts: { resolved: 5, oneTouch: 3 } });
    const reopen = seriesOf("reopen-rate", docs, { from: at("2026-03-02T00:00:00Z"), to: at("2026-03-05T00:00:00Z"), interval: "day", tz: "UTC" });
    expect(values(reopen)).toEqual([25, null, 0]);
  });

  it("computes mean, median and p90 resolution time of a known distribution", () => {
    // resolution times 1..100 minutes: mean 50.5 min, median rank 49 → 50 min, p90 rank 89 → 90 min
    const docs = docsOf(Array.from({ length: 100 }, (_, i) =>
      solved(new Date(Date.UTC(2026, 2, 2, 8) + (i + 1) * 60_000).toISOString(), 1)));
    const s = seriesOf("resolution-time", docs, { from: at("2026-03-02T00:00:00Z"), to: at("2026-03-03T00:00:00Z"), interval: "day", tz: "UTC" });
    const p = s.groups[0]!.total;
    expect(p.n).toBe(100);
    expect(p.value).toBeCloseTo(50.5 * 60, 9);
    expect(Math.abs(p.parts.median! - 3000) / 3000).toBeLessThanOrEqual(0.02);
    expect(Math.abs(p.parts.p90! - 5400) / 5400).toBeLessThanOrEqual(0.02);
  });

  it("reads only the survey kind of the metric", () => {
    const docs = docsOf([
      survey({ surveyKind: "nps", score: 10 }),
      survey({ surveyKind: "nps", score: 3 }),
      survey({ surveyKind: "nps", score: 9 }),
      survey({ surveyKind: "csat", score: 5 }),
    ]);
    const range = { from: at("2026-03-02T00:00:00Z"), to: at("2026-03-03T00:00:00Z"), interval: "day" as const, tz: "UTC" };
    expect(seriesOf("nps", docs, range).groups[0]!.total).toEqual({
      value: (100 * (2 - 1)) / 3, n: 3, parts: { promoters: 2, passives: 0, detractors: 1 },
    });
    expect(seriesOf("csat", docs, range).groups[0]!.total).toMatchObject({ value: 100, n: 1, parts: { mean: 5 } });
    expect(seriesOf("ces", docs, range).groups[0]!.total).toEqual({ value: null, n: 0, parts: { mean: null, lowEffort: 0, lowEffortPct: null } });
  });
});

describe("seriesOf groups, filters and tags", () => {
  const docs = docsOf([
    created("2026-03-02T09:00:00Z", { channel: "email", tags: ["billing"] }),
    created("2026-03-02T10:00:00Z", { channel: "email", tags: ["billing", "refund"] }),
    created("2026-03-02T11:00:00Z", { channel: "chat", tags: [] }),
    created("2026-03-03T11:00:00Z", { channel: "email", team: "tier2" }),
    created("2026-03-03T12:00:00Z", { channel: "phone", tags: ["refund"] }),
  ]);
  const range = { from: at("2026-03-02T00:00:00Z"), to: at("2026-03-04T00:00:00Z"), interval: "day" as const, tz: "UTC" };

  it("groups by channel, largest first, and reads untagged copies only (no double counting)", () => {
    const s = seriesOf("volume", docs, { ...range, groupBy: ["channel"] });
    expect(s.groups.map((g) => [g.key, values(s, s.groups.indexOf(g)), g.total.n])).toEqual([
      [{ channel: "email" }, [2, 1], 3],
      [{ channel: "chat" }, [1, 0], 1],
      [{ channel: "phone" }, [0, 1], 1],
    ]);
  });

  it("groups by two dimensions with null for an unknown one", () => {
    const s = seriesOf("volume", docs, { ...range, groupBy: ["channel", "team"], filters: { channel: "email" } });
    expect(s.groups.map((g) => [g.key, g.total.n])).toEqual([
      [{ channel: "email", team: null }, 2],
      [{ channel: "email", team: "tier2" }, 1],
    ]);
  });

  it("groups and filters by tag from the per-tag copies", () => {
    const byTag = seriesOf("volume", docs, { ...range, groupBy: ["tag"] });
    expect(byTag.groups.map((g) => [g.key, g.total.n])).toEqual([[{ tag: "billing" }, 2], [{ tag: "refund" }, 2]]);
    const refund = seriesOf("volume", docs, { ...range, filters: { tag: "refund" }, groupBy: ["channel"] });
    expect(refund.groups.map((g) => [g.key, g.total.n])).toEqual([[{ channel: "email" }, 1], [{ channel: "phone" }, 1]]);
  });

  it("filters by a list of values and keeps one empty group when nothing matches", () => {
    expect(seriesOf("volume", docs, { ...range, filters: { channel: ["chat", "phone"] } }).groups[0]!.total.n).toBe(2);
    const none = seriesOf("volume", docs, { ...range, filters: { channel: "sms" } });
    expect(none.groups).toHaveLength(1);
    expect(values(none)).toEqual([0, 0]);
    expect(seriesOf("volume", docs, { ...range, filters: { channel: "sms" }, groupBy: ["channel"] }).groups).toEqual([]);
  });

  it("ignores slots outside [from, to) and documents of other families", () => {
    const s = seriesOf("volume", docs, { ...range, from: at("2026-03-02T10:00:00Z"), to: at("2026-03-03T11:00:00Z") });
    expect(s.groups[0]!.total.n).toBe(2);
    expect(seriesOf("mentions", docs, range).groups[0]!.total.n).toBe(0);
  });

  it.each([
    [{ groupBy: ["channel", "team", "plan"] }, /at most two/],
    [{ groupBy: ["channel", "channel"] }, /repeats/],
    [{ groupBy: ["colour"] }, /unknown dimension/],
    [{ filters: { colour: "red" } }, /unknown dimension/],
    [{ tz: "Mars/Olympus" }, /time zone/],
    [{ to: at("2026-03-02T00:00:00Z") }, /from must be before to/],
  ])("rejects %j", (bad, msg) => {
    expect(() => seriesOf("volume", docs, { ...range, ...(bad as object) })).toThrow(msg);
  });
});

describe("trendOf, previousRange, totalsOf and rollupSelectionOf", () => {
  it("previousRange is the same length just before", () => {
    expect(previousRange(at("2026-03-09T00:00:00Z"), at("2026-03-16T00:00:00Z"))).toEqual({
      from: at("2026-03-02T00:00:00Z"),
      to: at("2026-03-09T00:00:00Z"),
    });
  });

  it("compares with the previous period per group using the metric's test", () => {
    const items = [
      ...Array.from({ length: 4 }, (_, i) => created(`2026-03-0${2 + i}T10:00:00Z`)),
      ...Array.from({ length: 30 }, (_, i) => created(`2026-03-${String(9 + (i % 7)).padStart(2, "0")}T10:00:00Z`)),
      created("2026-03-10T10:00:00Z", { channel: "chat" }),
    ];
    const t = trendOf("volume", docsOf(items), {
      from: at("2026-03-09T00:00:00Z"), to: at("2026-03-16T00:00:00Z"), interval: "day", tz: "UTC", groupBy: ["channel"],
    });
    expect(t.previousFrom).toEqual(at("2026-03-02T00:00:00Z"));
    const email = t.groups.find((g) => g.key.channel === "email")!;
    expect(email.total.n).toBe(30);
    expect(email.change).toMatchObject({ previous: 4, delta: 26, test: "poisson-rate", significant: true });
    const chat = t.groups.find((g) => g.key.channel === "chat")!;
    expect(chat.change).toMatchObject({ previous: 0, delta: 1, significant: false });
  });

  it("totalsOf sums a range per group (ties ordered by key)", () => {
    const docs = docsOf([created("2026-03-02T10:00:00Z"), created("2026-03-02T11:00:00Z", { channel: "chat" })]);
    const t = totalsOf("volume", docs, { from: at("2026-03-01T00:00:00Z"), to: at("2026-03-03T00:00:00Z"), groupBy: ["channel"] });
    expect([...t.entries()]).toEqual([
      ['["chat"]', { key: { channel: "chat" }, measures: { n: 1 } }],
      ['["email"]', { key: { channel: "email" }, measures: { n: 1 } }],
    ]);
  });

  it("rollupSelectionOf says which documents to read", () => {
    expect(rollupSelectionOf("nps", { from: at("2026-03-01T23:00:00Z"), to: at("2026-03-03T00:00:00Z"), filters: { channel: ["email", "chat"] } })).toEqual({
      family: "surveys",
      days: { first: "2026-03-01", last: "2026-03-02" },
      cut: "*", // surveyKind (the metric's where) and channel
      dims: { surveyKind: ["nps"], channel: ["email", "chat"] },
      tag: null,
      unknownFromTotal: false,
    });
    expect(rollupSelectionOf("volume", { from: at("2026-03-01T00:00:00Z"), to: at("2026-03-02T00:00:00Z"), groupBy: ["tag"] }).tag).toBe("any");
    expect(rollupSelectionOf("volume", { from: at("2026-03-01T00:00:00Z"), to: at("2026-03-02T00:00:00Z"), filters: { tag: "vip" } }).tag).toEqual(["vip"]);
  });
});
