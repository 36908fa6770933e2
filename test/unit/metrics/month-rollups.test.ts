import { describe, expect, it } from "vitest";
import type { Contribution, Measures } from "../../../shared/domain/metrics/contribution";
import { contributionsOf } from "../../../shared/domain/metrics/contributions-of";
import {
  compactMonthDoc, dayDocsOfMonths, monthDocsOfDays, monthIncrementsOf, monthsServe, MONTH_FAMILIES, MONTH_MEASURES, type MonthIncrement, type MonthRollupDoc,
} from "../../../shared/domain/metrics/month-rollups";
import { compactRollupDoc, diffContributions, rollupDocsOf } from "../../../shared/domain/metrics/rollups";
import { METRIC_MEASURES } from "../../../shared/domain/metrics/registry";
import { seriesOf, trendOf } from "../../../shared/domain/metrics/series";
import { seededRandom } from "../../../bench/support/seeded-random";
import { mention, survey, ticket } from "./fixtures";

const CHANNELS = ["email", "chat", "phone"];
const TAGS = ["billing", "refund", "bug"];

/** Items spread over three UTC months (including month ends), each kind, some resolved. */
function randomItems(seed: number, n: number) {
  const r = seededRandom(seed);
  const start = Date.UTC(2026, 0, 20);
  const at = () => new Date(start + Math.floor(r() * 70 * 86_400_000));
  return Array.from({ length: n }, (_, i) => {
    const k = r();
    if (k < 0.6) {
      const createdAt = at();
      const resolved = r() < 0.6;
      return ticket({
        channel: CHANNELS[i % 3]!,
        tags: r() < 0.5 ? [TAGS[i % 3]!] : [],
        createdAt,
        ...(resolved ? { status: "solved", resolvedAt: new Date(createdAt.getTime() + Math.floor(r() * 5 * 86_400_000)), agentReplies: 1 + Math.floor(r() * 3) } : {}),
      });
    }
    if (k < 0.85) return mention({ postedAt: at(), author: { handle: `a${i}`, followers: Math.floor(r() * 1000) } });
    return survey({ respondedAt: at(), score: Math.floor(r() * 11) });
  });
}

/** Month documents as MongoDB leaves them after upserts with `$inc` (zeros kept), then compacted. */
function applyMonthIncrements(docs: Map<string, MonthRollupDoc>, incs: Map<string, MonthIncrement>): void {
  for (const [id, r] of incs) {
    const d = docs.get(id) ?? { _id: id, workspace: r.workspace, scope: r.scope, family: r.family, month: r.month, cut: r.cut, dims: r.dims, tag: null, m: {} };
    for (const [path, v] of Object.entries(r.inc)) {
      const [, measure, hour] = path.split(".") as [string, string, string];
      const slots = (d.m[measure] ??= {});
      slots[hour] = (slots[hour] ?? 0) + v;
    }
    docs.set(id, d);
  }
}

describe("month rollup documents", () => {
  it.each([1, 2, 3])("incremental month documents equal the month sums of the day documents, through edits and deletions (seed %i)", (seed) => {
    const items = randomItems(seed, 400);
    const r = seededRandom(seed + 100);
    const applied: Contribution[][] = items.map(() => []);
    const months = new Map<string, MonthRollupDoc>();
    const current: Contribution[][] = items.map(() => []);
    // Three rounds: every item arrives, some change (another channel, a later time), some go away.
    for (let round = 0; round < 3; round++) {
      const incs = new Map();
      items.forEach((item, i) => {
        const roll = r();
        if (round > 0 && roll < 0.15) current[i] = [];
        else if (round === 0 || roll < 0.4) {
          const changed = round === 0 ? item : { ...item, ...(item.kind === "ticket" ? { channel: CHANNELS[(i + round) % 3]! } : {}) };
          current[i] = contributionsOf(changed);
        }
        diffContributions(applied[i]!, current[i]!, { workspace: "acme", scope: "all" }, incs);
        applied[i] = current[i]!;
      });
      applyMonthIncrements(months, monthIncrementsOf(incs.values()));
    }
    const days = rollupDocsOf("acme", "all", current.flat());
    const expected = monthDocsOfDays(days.values());
    const got = new Map([...months].flatMap(([id, d]) => {
      const c = compactMonthDoc(d);
      return c ? [[id, c] as const] : [];
    }));
    expect(got.size).toBeGreaterThan(10);
    expect(got).toEqual(expected);
  });

  it("hold only the total and single-dimension cuts, untagged, count measures of the families that use them", () => {
    const days = rollupDocsOf("acme", "all", randomItems(7, 200).flatMap((it) => contributionsOf(it)));
    const months = [...monthDocsOfDays(days.values()).values()];
    expect(months.length).toBeGreaterThan(0);
    for (const m of months) {
      expect(m.tag).toBeNull();
      expect(MONTH_FAMILIES.has(m.family)).toBe(true);
      expect(["*", "5m"]).not.toContain(m.cut);
      for (const measure of Object.keys(m.m)) expect(MONTH_MEASURES.has(measure)).toBe(true);
      for (const slots of Object.values(m.m)) for (const k of Object.keys(slots)) expect(Number(k)).toBeLessThan(31 * 24);
    }
  });

  it.each(["hour", "day", "week", "month"] as const)("read in place or as day documents, they answer a %s trend like the day documents in any time zone", (interval) => {
    const days = rollupDocsOf("acme", "all", randomItems(11, 600).flatMap((it) => contributionsOf(it)));
    const range = { first: "2026-02-03", last: "2026-03-17" };
    const monthDocs = [...monthDocsOfDays(days.values()).values()];
    const asDays = dayDocsOfMonths(monthDocs, range);
    for (const d of asDays) expect(d.day >= range.first && d.day <= range.last).toBe(true);
    for (const tz of ["UTC", "Europe/Amsterdam", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu"]) {
      for (const metric of ["volume", "fcr", "mentions", "nps"] as const) {
        const o = { from: new Date("2026-02-04T00:00:00Z"), to: new Date("2026-03-16T00:00:00Z"), interval, tz, groupBy: metric === "volume" ? (["channel"] as const) : ([] as const) };
        // the day documents as the repository reads them: only the metric's measures
        const keep = new Set(METRIC_MEASURES[metric]!);
        const only = (m: Measures) => Object.fromEntries(Object.entries(m).filter(([k]) => keep.has(k)));
        const projected = [...days.values()].map((d) => ({
          ...d,
          h: Object.fromEntries(Object.entries(d.h).map(([hour, m]) => [hour, only(m)])),
          ...(d.d ? { d: only(d.d) } : {}),
        }));
        const fromDays = seriesOf(metric, projected.map((d) => compactRollupDoc(d)).filter((d) => d !== null), { ...o, groupBy: [...o.groupBy] });
        const fromMonths = seriesOf(metric, asDays, { ...o, groupBy: [...o.groupBy] });
        expect(fromMonths, `${metric} in ${tz}`).toEqual(fromDays);
        // the month documents as the repository reads them (only the metric's measures), unexpanded
        const monthsProjected = monthDocs.map((d) => ({ ...d, m: Object.fromEntries(Object.entries(d.m).filter(([k]) => keep.has(k))) }));
        expect(seriesOf(metric, monthsProjected, { ...o, groupBy: [...o.groupBy] }), `${metric} in ${tz}, in place`).toEqual(fromDays);
        const daysForTrend = projected.map((d) => compactRollupDoc(d)).filter((d) => d !== null);
        expect(trendOf(metric, monthsProjected, { ...o, groupBy: [...o.groupBy] }), `${metric} trend in ${tz}`).toEqual(trendOf(metric, daysForTrend, { ...o, groupBy: [...o.groupBy] }));
      }
    }
  });

  it("serve only what they hold", () => {
    const created = "tickets_created" as const;
    expect(monthsServe({ family: created, cut: "channel", tag: null }, ["n"])).toBe(true);
    expect(monthsServe({ family: "tickets_resolved", cut: "", tag: null }, ["n", "fcr"])).toBe(true);
    expect(monthsServe({ family: "surveys", cut: "surveyKind", tag: null }, ["n", "promoters", "passives", "detractors"])).toBe(true);
    expect(monthsServe({ family: created, cut: "*", tag: null }, ["n"])).toBe(false);
    expect(monthsServe({ family: created, cut: "", tag: "any" }, ["n"])).toBe(false);
    expect(monthsServe({ family: created, cut: "", tag: ["billing"] }, ["n"])).toBe(false);
    expect(monthsServe({ family: created, cut: "", tag: null }, null)).toBe(false);
    expect(monthsServe({ family: "tickets_resolved", cut: "", tag: null }, ["n", "sum", "sumSq"])).toBe(false);
    expect(monthsServe({ family: created, cut: "5m", tag: null }, ["n"])).toBe(false);
    // no metric of these families reads only counts: no month documents are kept for them.
    // (Pinned: a change here needs a migration that rebuilds the stored month documents.)
    expect(MONTH_FAMILIES.has("sentiment")).toBe(false);
    expect(MONTH_FAMILIES.has("first_response")).toBe(false);
    expect([...MONTH_FAMILIES].sort()).toEqual(["mentions", "surveys", "tickets_created", "tickets_resolved"]);
    expect([...MONTH_MEASURES].sort()).toEqual(["detractors", "fcr", "n", "passives", "promoters", "reach", "reopened"]);
  });

  it("leave out a document whose changes cancel", () => {
    const c = contributionsOf(ticket());
    const incs = diffContributions([], c, { workspace: "acme", scope: "all" });
    const undo = diffContributions(c, [], { workspace: "acme", scope: "all" });
    const both = monthIncrementsOf([...incs.values(), ...undo.values()]);
    expect(both.size).toBe(0);
  });
});
