import { describe, expect, it } from "vitest";
import { contributionsOf } from "../../../shared/domain/metrics/contributions-of";
import { dayReadPlanOf, daySplitOf, type DayReadPlan } from "../../../shared/domain/metrics/day-totals";
import { dayTotalOf, rollupDocsOf, type RollupDoc } from "../../../shared/domain/metrics/rollups";
import { previousRange, trendOf, seriesOf, type SeriesOptions } from "../../../shared/domain/metrics/series";
import type { MetricName } from "../../../shared/domain/metrics/registry";
import type { Interval } from "../../../shared/domain/time/buckets";
import { seededRandom } from "../../../bench/support/seeded-random";
import { mention, survey, ticket } from "./fixtures";

const DAY = 86_400_000;
const H = 3_600_000;

/** Tickets (some resolved, with first responses), mentions and surveys over about 80 days. */
function randomDocs(seed: number, n: number): RollupDoc[] {
  const r = seededRandom(seed);
  const start = Date.UTC(2026, 0, 20);
  const at = () => new Date(start + Math.floor(r() * 80 * DAY));
  const items = Array.from({ length: n }, (_, i) => {
    const k = r();
    if (k < 0.6) {
      const createdAt = at();
      const resolved = r() < 0.7;
      return ticket({
        channel: ["email", "chat", "phone"][i % 3]!,
        tags: r() < 0.4 ? [["billing", "refund"][i % 2]!] : [],
        createdAt,
        firstResponseAt: new Date(createdAt.getTime() + Math.floor(r() * 8 * H)),
        ...(resolved ? { status: "solved", resolvedAt: new Date(createdAt.getTime() + Math.floor(r() * 3 * DAY)), agentReplies: 1 + Math.floor(r() * 3) } : {}),
      });
    }
    if (k < 0.85) return mention({ postedAt: at(), author: { handle: `a${i}`, followers: Math.floor(r() * 1000) } });
    return survey({ respondedAt: at(), score: Math.floor(r() * 11) });
  });
  return [...rollupDocsOf("acme", "all", items.flatMap((it) => contributionsOf(it))).values()];
}

/** The documents without their day totals: what the hourly path alone reads. */
const hourlyOnly = (docs: RollupDoc[]): RollupDoc[] => docs.map(({ d: _d, ...rest }) => rest);

/** What the repository reads under a plan: full days whole, every other day `d` and the plan's hours. */
function readUnder(plan: DayReadPlan, docs: RollupDoc[]): RollupDoc[] {
  const full = new Set(plan.fullDays);
  return docs.map((doc) =>
    full.has(doc.day) ? doc : { ...doc, h: Object.fromEntries(plan.hours.filter((h) => doc.h[h] !== undefined).map((h) => [h, doc.h[h]!])) },
  );
}

const CASES: Array<{ tz: string; interval: Interval; from: string; to: string; groupBy: SeriesOptions["groupBy"] }> = [
  { tz: "UTC", interval: "day", from: "2026-02-01T00:00:00Z", to: "2026-03-15T00:00:00Z", groupBy: ["channel"] },
  // local midnights, a DST change inside (29 March)
  { tz: "Europe/Amsterdam", interval: "day", from: "2026-02-28T23:00:00Z", to: "2026-04-09T22:00:00Z", groupBy: ["channel"] },
  { tz: "America/New_York", interval: "week", from: "2026-02-02T05:00:00Z", to: "2026-04-06T04:00:00Z", groupBy: [] },
  // ranges that do not start or end at a local midnight
  { tz: "Asia/Kolkata", interval: "day", from: "2026-02-03T07:00:00Z", to: "2026-03-20T13:00:00Z", groupBy: ["tag"] },
  { tz: "Asia/Kathmandu", interval: "month", from: "2026-01-25T09:00:00Z", to: "2026-04-02T17:00:00Z", groupBy: ["channel"] },
  { tz: "Pacific/Auckland", interval: "day", from: "2026-02-10T11:00:00Z", to: "2026-03-10T11:00:00Z", groupBy: [] },
];
const METRICS: MetricName[] = ["volume", "resolution-time", "first-response-time", "fcr", "mentions", "nps"];

describe("day totals", () => {
  it("are the sum of the hourly slots of every trend cut (none in the 5-minute cut)", () => {
    const docs = randomDocs(5, 300);
    expect(docs.some((d) => d.cut === "5m")).toBe(true);
    for (const doc of docs) {
      if (doc.cut === "5m") expect(doc.d).toBeUndefined();
      else expect(doc.d).toEqual(dayTotalOf(doc.h));
    }
  });

  it.each(CASES)("read by a plan, answer a $interval trend in $tz like every hour does", ({ tz, interval, from, to, groupBy }) => {
    const docs = randomDocs(tz.length, 700);
    const hourly = hourlyOnly(docs);
    // mentions and surveys carry no tags
    for (const metric of groupBy?.includes("tag") ? METRICS.filter((m) => m !== "mentions" && m !== "nps") : METRICS) {
      const o = { from: new Date(from), to: new Date(to), interval, tz, groupBy: [...(groupBy ?? [])] };
      const prev = previousRange(o.from, o.to);
      const plan = dayReadPlanOf(o, prev.from)!;
      expect(plan, `${metric} in ${tz}`).not.toBeNull();
      const read = readUnder(plan, docs);
      const expected = trendOf(metric, hourly, o);
      expect(expected.groups.some((g) => g.total.n > 0), "the check would be empty").toBe(true);
      expect(trendOf(metric, read, o), `${metric} in ${tz}`).toEqual(expected);
    }
  });

  it("read by a plan, answer segment comparisons (one series, no previous period) like every hour does", () => {
    const docs = randomDocs(9, 500);
    const o = { from: new Date("2026-02-02T23:00:00Z"), to: new Date("2026-03-30T22:00:00Z"), interval: "month" as const, tz: "Europe/Amsterdam", groupBy: ["channel" as const] };
    const plan = dayReadPlanOf(o)!;
    expect(seriesOf("resolution-time", readUnder(plan, docs), o)).toEqual(seriesOf("resolution-time", hourlyOnly(docs), o));
  });

  it("read only the hours where local buckets split a UTC day", () => {
    const year = { from: new Date("2025-01-01T00:00:00Z"), to: new Date("2026-01-01T00:00:00Z") };
    // whole UTC days: the total alone
    expect(dayReadPlanOf({ ...year, interval: "day", tz: "UTC" })!.hours).toEqual([]);
    // local midnight is 23:00 UTC in winter and 22:00 UTC in summer
    const ams = { from: new Date("2024-12-31T23:00:00Z"), to: new Date("2025-12-31T23:00:00Z"), interval: "day" as const, tz: "Europe/Amsterdam" };
    expect(dayReadPlanOf(ams, previousRange(ams.from, ams.to).from)).toEqual({ fullDays: ["2024-01-01", "2024-12-31", "2025-12-31"], hours: [22, 23] });
    // 04:00 or 05:00 UTC: the smaller side of the day, before local midnight
    expect(dayReadPlanOf({ from: new Date("2025-01-01T05:00:00Z"), to: new Date("2026-01-01T05:00:00Z"), interval: "day", tz: "America/New_York" })!.hours).toEqual([0, 1, 2, 3, 4]);
    // hourly buckets need every hour
    expect(dayReadPlanOf({ ...year, interval: "hour", tz: "UTC" })).toBeNull();
  });

  it("split a day between buckets by where each hour starts, and name the bucket with most hours", () => {
    const dayMs = Date.parse("2026-03-02T00:00:00Z");
    const starts = [Date.parse("2026-03-01T23:00:00Z"), Date.parse("2026-03-02T23:00:00Z")];
    const split = daySplitOf(dayMs, starts, starts[0]!, Date.parse("2026-03-03T23:00:00Z"));
    expect([...split.bucketOfHour]).toEqual([...Array(23).fill(0), 1]);
    expect(split).toMatchObject({ major: 0, inRange: true });
    const cut = daySplitOf(dayMs, starts, dayMs + 20 * H, Date.parse("2026-03-03T23:00:00Z"));
    expect(cut).toMatchObject({ major: -1, inRange: false });
  });
});
