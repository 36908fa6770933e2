/**
 * Cuts (cuboids) of the rollups: every item also adds to a total copy and to one copy per single
 * dimension, and a query reads only the cheapest cut that answers it.
 */
import { describe, expect, it } from "vitest";
import type { RollupItem } from "../../../shared/domain/metrics/contribution";
import { contributionsOf, fullTupleOf, withCuts } from "../../../shared/domain/metrics/contributions-of";
import { dayTotalOf, rollupDocsOf, rollupKeyOf, type RollupDoc } from "../../../shared/domain/metrics/rollups";
import { rollupSelectionOf, seriesOf, type Filters, type RollupSelection, type SeriesOptions } from "../../../shared/domain/metrics/series";
import type { MetricName } from "../../../shared/domain/metrics/registry";
import type { GroupKey } from "../../../shared/domain/metrics/contribution";
import { mention, survey, ticket } from "./fixtures";

const at = (s: string) => new Date(s);
const docsOf = (items: RollupItem[]): RollupDoc[] => [...rollupDocsOf("acme", "all", items.flatMap(contributionsOf)).values()];

/** The documents the MongoDB filter of shared/db/rollups-repo.ts selects (workspace/scope/days aside). */
function selected(docs: readonly RollupDoc[], sel: RollupSelection): RollupDoc[] {
  const cuts = sel.unknownFromTotal ? [sel.cut, ""] : [sel.cut];
  return docs.filter((d) => {
    if (d.family !== sel.family || !cuts.includes(d.cut)) return false;
    if (d.day < sel.days.first || d.day > sel.days.last) return false;
    if (sel.tag === null ? d.tag !== null : d.tag === null || (sel.tag !== "any" && !sel.tag.includes(d.tag))) return false;
    return Object.entries(sel.dims).every(([k, vals]) => vals.includes((d.dims as Record<string, string>)[k]!));
  });
}

describe("rollupSelectionOf picks the cheapest cut", () => {
  const range = { from: at("2026-03-01T00:00:00Z"), to: at("2026-03-02T00:00:00Z") };
  it.each([
    // metric, groupBy, filters, cut, unknownFromTotal, tag
    ["volume", [], {}, "", false, null],
    ["volume", ["channel"], {}, "channel", true, null],
    ["volume", [], { channel: "email" }, "channel", false, null],
    ["volume", ["channel"], { channel: ["email", "chat"] }, "channel", false, null],
    ["volume", ["channel", "team"], {}, "*", false, null],
    ["volume", ["channel"], { team: "tier2" }, "*", false, null],
    ["fcr", ["segment"], {}, "segment", true, null],
    ["sentiment", [], { kind: "mention" }, "kind", false, null],
    ["nps", [], {}, "surveyKind", false, null], // the metric's where: surveyKind = nps
    ["nps", ["surveyKind"], {}, "surveyKind", false, null],
    ["csat", ["touchpoint"], {}, "*", false, null],
    ["nps", [], { channel: "chat" }, "*", false, null],
    ["volume", ["tag"], {}, "", false, "any"], // tag copies: cuts "" and "*" only
    ["volume", [], { tag: "vip" }, "", false, ["vip"]],
    ["volume", ["tag"], { channel: "email" }, "*", false, "any"],
    ["volume", ["channel"], { tag: "vip" }, "*", false, ["vip"]],
    ["volume", ["tag", "channel"], {}, "*", false, "any"],
    ["nps", ["tag"], {}, "*", false, "any"],
  ] as const)("%s groupBy %j filters %j → cut %j (unknown from total: %s)", (metric, groupBy, filters, cut, unknownFromTotal, tag) => {
    const sel = rollupSelectionOf(metric, { ...range, groupBy: [...groupBy] as GroupKey[], filters: filters as Filters });
    expect({ cut: sel.cut, unknownFromTotal: sel.unknownFromTotal, tag: sel.tag }).toEqual({ cut, unknownFromTotal, tag });
  });
});

describe("contributionsOf emits the cuts", () => {
  it("adds, per family, the full tuple, the total and one copy per dimension present; tag copies in cuts * and '' only", () => {
    const cs = contributionsOf(
      ticket({
        team: "tier2", customer: { segment: "smb" }, tags: ["vip"], status: "solved", resolvedAt: at("2026-03-02T12:00:00Z"),
        enrichment: { language: "en", sentiment: { label: "neutral", score: 0 } },
      }),
    );
    const created = cs.filter((c) => c.family === "tickets_created");
    expect(created.map((c) => [c.cut, c.tag, c.dims])).toEqual([
      ["*", null, { kind: "ticket", language: "en", sentiment: "neutral", segment: "smb", channel: "email", source: "zendesk", team: "tier2" }],
      ["", null, {}],
      ["5m", null, { kind: "ticket" }],
      ["kind", null, { kind: "ticket" }],
      ["channel", null, { channel: "email" }],
      ["source", null, { source: "zendesk" }],
      ["team", null, { team: "tier2" }],
      ["language", null, { language: "en" }],
      ["sentiment", null, { sentiment: "neutral" }],
      ["segment", null, { segment: "smb" }],
      ["*", "vip", created[0]!.dims],
      ["", "vip", {}],
    ]);
    // every copy carries the same slot (the 5-minute cut its 5-minute slot, 09:15 → 111) and measures
    for (const c of created) expect([c.day, c.hour, c.m]).toEqual(["2026-03-02", c.cut === "5m" ? 111 : 9, { n: 1 }]);
    // 3 families (created, resolved, sentiment) × (3 + 7 dimensions + 2 per tag)
    expect(cs).toHaveLength(3 * (3 + 7 + 2));
  });

  it("derives every cut from the full-tuple copies the worker stores (withCuts ∘ fullTupleOf)", () => {
    for (const item of [...fleet().slice(0, 50), mention(), survey({ touchpoint: "support" })]) {
      const cs = contributionsOf(item);
      const stored = fullTupleOf(cs).map((c) => ({ ...c, scope: "s1" }));
      expect(withCuts(stored)).toEqual(cs.map((c) => ({ ...c, scope: "s1" })));
      expect(withCuts(cs)).toEqual(cs); // other cuts in the input are ignored, not doubled
    }
  });

  it("gives a mention and a survey their own dimensions' cuts", () => {
    expect(contributionsOf(mention()).map((c) => c.cut)).toEqual(["*", "", "5m", "kind", "platform"]);
    expect(contributionsOf(survey({ touchpoint: "support" })).map((c) => c.cut)).toEqual(["*", "", "5m", "kind", "source", "surveyKind", "touchpoint"]);
  });

  it("keeps a one-dimension cut apart from a full-tuple document of an item with a single dimension", () => {
    const base = { family: "mentions" as const, day: "2026-03-02", dims: { platform: "x" }, tag: null };
    const keys = new Set((["*", "", "platform", "kind"] as const).map((cut) => rollupKeyOf("acme", "all", { ...base, cut })));
    expect(keys.size).toBe(4);
    expect(rollupKeyOf("acme", "all", { ...base, cut: "*" })).toBe("acme|all|mentions|2026-03-02|platform=x|~");
    expect(rollupKeyOf("acme", "all", { ...base, cut: "platform" })).toBe("acme|all|mentions|2026-03-02|platform=x|~|:platform");
    expect(rollupKeyOf("acme", "all", { ...base, dims: {}, cut: "" })).toBe("acme|all|mentions|2026-03-02||~|:");
  });

  it("every cut document is the full-tuple documents projected onto that cut", () => {
    const docs = docsOf(fleet());
    const projected = new Map<string, RollupDoc>();
    for (const d of docs.filter((x) => x.cut === "*")) {
      const targets: Array<[RollupDoc["cut"], Record<string, string>]> = [["", {}]];
      if (d.tag === null) for (const [k, v] of Object.entries(d.dims)) targets.push([k as RollupDoc["cut"], { [k]: v }]);
      for (const [cut, dims] of targets) {
        const id = rollupKeyOf("acme", "all", { family: d.family, day: d.day, cut, dims, tag: d.tag });
        const p: RollupDoc = projected.get(id) ?? { _id: id, workspace: "acme", scope: "all", family: d.family, day: d.day, cut, dims, tag: d.tag, h: {} };
        for (const [hour, m] of Object.entries(d.h)) {
          const slot = (p.h[hour] ??= {});
          for (const [k, v] of Object.entries(m)) slot[k] = (slot[k] ?? 0) + v;
        }
        projected.set(id, p);
      }
    }
    for (const p of projected.values()) p.d = dayTotalOf(p.h);
    const coarse = new Map(docs.filter((x) => x.cut !== "*" && x.cut !== "5m").map((x) => [x._id!, x]));
    expect(coarse).toEqual(projected);
  });

  it("the 5-minute cut's slots add up to the total cut's hours", () => {
    const docs = docsOf(fleet());
    const totals = new Map<string, number>();
    const add = (key: string, v: number) => totals.set(key, (totals.get(key) ?? 0) + v);
    for (const d of docs) {
      if (d.cut === "" && d.tag === null) for (const [hour, m] of Object.entries(d.h)) add(`${d.family}|${d.day}|${hour}|n`, m.n ?? 0);
      if (d.cut === "5m") for (const [slot, m] of Object.entries(d.h)) add(`${d.family}|${d.day}|${Math.floor(Number(slot) / 12)}|n`, -(m.n ?? 0));
    }
    expect(docs.some((d) => d.cut === "5m")).toBe(true);
    expect([...totals].filter(([, v]) => v !== 0)).toEqual([]);
  });
});

/** A month of tickets over 4 channels (some without a channel or team), tagged at random. */
function fleet(): RollupItem[] {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  return Array.from({ length: 400 }, () => {
    const createdAt = new Date(Date.UTC(2026, 2, 1 + Math.floor(rnd() * 31), Math.floor(rnd() * 24), Math.floor(rnd() * 60)));
    const solved = rnd() < 0.7;
    return ticket({
      createdAt,
      channel: pick(["email", "chat", "phone", "web", null]),
      team: pick(["tier1", "tier2", undefined]),
      tags: rnd() < 0.3 ? ["vip"] : [],
      status: solved ? "solved" : "open",
      agentReplies: Math.floor(rnd() * 3),
      reopens: rnd() < 0.1 ? 1 : 0,
      resolvedAt: solved ? new Date(createdAt.getTime() + Math.floor(rnd() * 3 * 86_400_000)) : undefined,
      customer: { segment: pick(["smb", "enterprise", undefined]) },
    });
  });
}

describe("a query grouped by channel reads only the channel cut", () => {
  const items = fleet();
  const all = docsOf(items);
  const opts: SeriesOptions = { from: at("2026-03-01T00:00:00Z"), to: at("2026-04-01T00:00:00Z"), interval: "day", tz: "Europe/Amsterdam" };

  /** The same answer from the full-tuple documents: group by (channel, kind), kind being "ticket" for every ticket. */
  function fromFullTuple(metric: MetricName, o: SeriesOptions) {
    const s = seriesOf(metric, all.filter((d) => d.cut === "*"), { ...o, groupBy: ["channel", "kind"] });
    expect(rollupSelectionOf(metric, { ...o, groupBy: ["channel", "kind"] }).cut).toBe("*");
    return s.groups.map((g) => ({ key: { channel: g.key.channel }, points: g.points, total: g.total }));
  }

  it.each(["volume", "fcr", "resolution-time", "reopen-rate"] as const)("%s: same groups, points and totals as the full tuple", (metric) => {
    const sel = rollupSelectionOf(metric, { ...opts, groupBy: ["channel"] });
    const read = selected(all, sel);
    expect(new Set(read.map((d) => d.cut))).toEqual(new Set(["channel", ""]));
    const s = seriesOf(metric, read, { ...opts, groupBy: ["channel"] });
    expect(s.groups.map((g) => ({ key: g.key, points: g.points, total: g.total }))).toEqual(fromFullTuple(metric, opts));
    // includes the tickets without a channel, derived from the total cut
    expect(s.groups.map((g) => g.key.channel)).toContain(null);
  });

  it("needs nothing but channel-cut documents when every item has a channel, and reads far fewer documents", () => {
    const withChannel = items.filter((t) => t.kind === "ticket" && t.channel);
    const docs = docsOf(withChannel);
    const sel = rollupSelectionOf("volume", { ...opts, groupBy: ["channel"] });
    // without the total cut's documents the unknown-channel group is simply absent
    const channelOnly = docs.filter((d) => d.cut === "channel");
    const s = seriesOf("volume", channelOnly, { ...opts, groupBy: ["channel"] });
    const ref = seriesOf("volume", docs.filter((d) => d.cut === "*"), { ...opts, groupBy: ["channel", "kind"] });
    expect(s.groups.map((g) => [g.key.channel, g.total.n, g.points.map((p) => p.n)])).toEqual(
      ref.groups.map((g) => [g.key.channel, g.total.n, g.points.map((p) => p.n)]),
    );
    expect(s.groups.reduce((a, g) => a + g.total.n, 0)).toBe(withChannel.length);
    // at most one document per channel and day (plus one total per day), whatever the item count
    const read = selected(docs, sel);
    expect(read.filter((d) => d.cut === "channel").length).toBeLessThanOrEqual(4 * 31);
    expect(read.filter((d) => d.cut === "").length).toBeLessThanOrEqual(31);
    expect(read.length).toBeLessThan(docs.filter((d) => d.family === "tickets_created" && d.cut === "*" && d.tag === null).length);
  });

  it("filters by one channel from the channel cut with the same numbers", () => {
    const sel = rollupSelectionOf("fcr", { ...opts, filters: { channel: "chat" } });
    expect(sel).toMatchObject({ cut: "channel", dims: { channel: ["chat"] }, unknownFromTotal: false });
    const read = selected(all, sel);
    expect(read.every((d) => d.cut === "channel" && d.dims.channel === "chat")).toBe(true);
    const s = seriesOf("fcr", read, { ...opts, filters: { channel: "chat" } });
    const ref = seriesOf("fcr", all.filter((d) => d.cut === "*"), { ...opts, filters: { channel: "chat", kind: "ticket" } });
    expect(s.groups[0]!.points).toEqual(ref.groups[0]!.points);
    expect(s.groups[0]!.total).toEqual(ref.groups[0]!.total);
  });

  it("answers an ungrouped query from the total cut (one document per day)", () => {
    const sel = rollupSelectionOf("volume", opts);
    const read = selected(all, sel);
    expect(read.every((d) => d.cut === "" && d.tag === null)).toBe(true);
    expect(read.length).toBeLessThanOrEqual(31);
    expect(seriesOf("volume", read, opts).groups[0]!.total.n).toBe(items.length);
    expect(seriesOf("volume", all, opts).groups[0]!.total.n).toBe(items.length); // other cuts are ignored
  });

  it("derives no unknown group when every item has the dimension", () => {
    const docs = docsOf([ticket({ channel: "email" }), ticket({ channel: "chat" })]);
    const range = { from: at("2026-03-02T00:00:00Z"), to: at("2026-03-03T00:00:00Z"), interval: "day" as const, tz: "UTC", groupBy: ["channel"] as GroupKey[] };
    expect(seriesOf("volume", docs, range).groups.map((g) => g.key)).toEqual([{ channel: "chat" }, { channel: "email" }]);
  });
});
