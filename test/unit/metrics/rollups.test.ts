import { describe, expect, it } from "vitest";
import type { Contribution, Cut, RollupTicket } from "../../../shared/domain/metrics/contribution";
import { contributionsOf } from "../../../shared/domain/metrics/contributions-of";
import {
  applyIncrement, compactRollupDoc, diffContributions, rollupDocsOf, rollupKeyOf, type RollupDoc, type RollupIncrement,
} from "../../../shared/domain/metrics/rollups";
import { sketchBinOf } from "../../../shared/domain/stats/sketch";
import { mention, ticket } from "./fixtures";

const WS = { workspace: "acme", scope: "all" };

/** Applies increments like MongoDB upserts with $inc, then compacts (zeros and empty slots dropped). */
function applyAll(docs: Map<string, RollupDoc>, incs: Map<string, RollupIncrement>): void {
  for (const [id, r] of incs) docs.set(id, applyIncrement(docs.get(id), r));
}
function compacted(docs: Map<string, RollupDoc>): Map<string, RollupDoc> {
  const out = new Map<string, RollupDoc>();
  for (const [id, d] of docs) {
    const c = compactRollupDoc(d);
    if (c) out.set(id, c);
  }
  return out;
}

describe("rollupKeyOf", () => {
  const c = { family: "tickets_created" as const, day: "2026-03-02", cut: "*" as Cut, dims: { channel: "email", kind: "ticket" }, tag: null };

  it("is stable whatever the order of dims", () => {
    expect(rollupKeyOf("acme", "all", c)).toBe("acme|all|tickets_created|2026-03-02|channel=email,kind=ticket|~");
    expect(rollupKeyOf("acme", "all", { ...c, dims: { kind: "ticket", channel: "email" } })).toBe(
      rollupKeyOf("acme", "all", c),
    );
  });

  it.each([
    // pairs that a naive join would confuse
    [{ ...c, dims: { team: "a,channel=b" } }, { ...c, dims: { team: "a", channel: "b" } }],
    [{ ...c, tag: "~" }, { ...c, tag: null }],
    [{ ...c, tag: "" }, { ...c, tag: null }],
    [{ ...c, dims: { team: "x|y" } }, { ...c, dims: { team: "x%7Cy" } }],
  ])("keeps %j and %j apart", (a, b) => {
    expect(rollupKeyOf("acme", "all", a)).not.toBe(rollupKeyOf("acme", "all", b));
  });

  it("separates workspaces and scopes that contain the separator", () => {
    expect(rollupKeyOf("a|b", "all", c)).not.toBe(rollupKeyOf("a", "b|all", c));
  });
});

describe("diffContributions", () => {
  const created = new Date("2026-03-02T09:15:00Z");
  const versions: RollupTicket[] = [
    ticket({ status: "open", createdAt: created, tags: ["billing"] }),
    ticket({
      status: "solved", createdAt: created, tags: ["billing"], agentReplies: 1,
      firstResponseAt: new Date("2026-03-02T10:00:00Z"), resolvedAt: new Date("2026-03-02T15:00:00Z"),
    }),
    ticket({
      status: "open", createdAt: created, tags: ["billing", "vip"], agentReplies: 1, reopens: 1,
      firstResponseAt: new Date("2026-03-02T10:00:00Z"),
    }),
    ticket({
      status: "solved", createdAt: created, tags: ["billing", "vip"], agentReplies: 2, reopens: 1, handleTimeSec: 900,
      firstResponseAt: new Date("2026-03-02T10:00:00Z"), resolvedAt: new Date("2026-03-04T08:00:00Z"),
    }),
  ];

  it("open → solved → reopened → solved converges to the final version's contributions", () => {
    const docs = new Map<string, RollupDoc>();
    let applied: Contribution[] = [];
    for (const v of versions) {
      const current = contributionsOf(v);
      applyAll(docs, diffContributions(applied, current, WS));
      applied = current;
    }
    expect(compacted(docs)).toEqual(rollupDocsOf("acme", "all", contributionsOf(versions[3]!)));
    // the first solve (at 2026-03-02T15) was taken back: FCR there is gone
    const firstSolve = rollupKeyOf("acme", "all", { family: "tickets_resolved", day: "2026-03-02", cut: "*", dims: contributionsOf(versions[1]!)[0]!.dims, tag: null });
    const slot = docs.get(firstSolve)!.h["15"]!;
    expect(Object.keys(slot)).toEqual(expect.arrayContaining(["n", "fcr", "sum", "sumSq"]));
    expect(Object.values(slot).every((v) => v === 0)).toBe(true);
  });

  it("prev + diff(prev, cur) = cur, measure by measure", () => {
    for (let i = 0; i < versions.length; i++) {
      for (let j = 0; j < versions.length; j++) {
        const prev = contributionsOf(versions[i]!);
        const cur = contributionsOf(versions[j]!);
        const docs = new Map(rollupDocsOf("acme", "all", prev));
        applyAll(docs, diffContributions(prev, cur, WS));
        expect(compacted(docs)).toEqual(rollupDocsOf("acme", "all", cur));
      }
    }
  });

  it("is empty for an unchanged item (a redelivery changes nothing)", () => {
    const cs = contributionsOf(versions[3]!);
    expect(diffContributions(cs, cs, WS).size).toBe(0);
    expect(diffContributions([], [], WS).size).toBe(0);
  });

  it("gives $inc paths h.<hour>.<measure> and d.<measure> (the day total) and drops zero measures", () => {
    const a = contributionsOf(versions[0]!);
    const b = contributionsOf(ticket({ ...versions[0]!, agentReplies: 3 })); // replies alone change no open-ticket measure
    expect(diffContributions(a, b, WS).size).toBe(0);
    const incs = diffContributions([], contributionsOf(versions[1]!), WS);
    const resolved = [...incs.values()].find((r) => r.family === "tickets_resolved" && r.tag === null)!;
    expect(resolved).toMatchObject({ workspace: "acme", scope: "all", day: "2026-03-02", tag: null });
    const measures = ["fcr", "n", sketchBinOf(20_700), "sum", "sumSq"];
    expect(Object.keys(resolved.inc).sort()).toEqual([...measures.map((m) => `d.${m}`), ...measures.map((m) => `h.15.${m}`)].sort());
    expect(resolved.inc["h.15.sum"]).toBe(20_700);
    expect(resolved.inc["d.sum"]).toBe(20_700);
  });

  it("coalesces a batch of items into one increment per rollup document", () => {
    const into = new Map<string, RollupIncrement>();
    const items = [
      ticket(),
      ticket({ createdAt: new Date("2026-03-02T09:59:00Z") }),
      ticket({ createdAt: new Date("2026-03-02T11:00:00Z") }),
      ticket({ channel: "chat" }),
    ];
    for (const t of items) diffContributions([], contributionsOf(t), WS, into);
    // 2026-03-02: full tuple email and chat, the total, 5-minute, channel email and chat, kind ticket, source zendesk
    expect([...into.values()].map((r) => `${r.cut}:${JSON.stringify(r.dims)}`).sort()).toEqual([
      '5m:{"kind":"ticket"}',
      '*:{"kind":"ticket","channel":"email","source":"zendesk"}',
      '*:{"kind":"ticket","channel":"chat","source":"zendesk"}',
      ':{}',
      'channel:{"channel":"chat"}',
      'channel:{"channel":"email"}',
      'kind:{"kind":"ticket"}',
      'source:{"source":"zendesk"}',
    ].sort());
    const email = [...into.values()].find((r) => r.cut === "*" && r.dims.channel === "email")!;
    expect(email.inc).toEqual({ "h.9.n": 2, "h.11.n": 1, "d.n": 3 });
    expect([...into.values()].find((r) => r.cut === "channel" && r.dims.channel === "email")!.inc).toEqual(email.inc);
    expect([...into.values()].find((r) => r.cut === "")!.inc).toEqual({ "h.9.n": 3, "h.11.n": 1, "d.n": 4 });
    // 09:15 (×2, one on chat), 09:59 → slot 119, 11:00 → slot 132; no day total in this cut
    expect([...into.values()].find((r) => r.cut === "5m")!.inc).toEqual({ "h.111.n": 2, "h.119.n": 1, "h.132.n": 1 });
    // a batch that moves an item between documents nets out per document (the total, kind and
    // source cuts do not change at all)
    const move = diffContributions(contributionsOf(items[0]!), contributionsOf(ticket({ channel: "chat" })), WS, new Map());
    expect([...move.values()].map((r) => [r.cut, r.dims.channel, r.inc])).toEqual([
      ["*", "email", { "h.9.n": -1, "d.n": -1 }], ["channel", "email", { "h.9.n": -1, "d.n": -1 }],
      ["*", "chat", { "h.9.n": 1, "d.n": 1 }], ["channel", "chat", { "h.9.n": 1, "d.n": 1 }],
    ]);
  });

  it("replaying a stream with duplicates and reorderings equals a recomputation from scratch", () => {
    // A deterministic pseudo-random stream of ticket and mention versions; the worker keeps the
    // newest version per item (older versions arriving late are ignored) and its applied contributions.
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    type Version = { id: string; v: number; item: ReturnType<typeof ticket> | ReturnType<typeof mention> };
    const stream: Version[] = [];
    for (let i = 0; i < 40; i++) {
      const createdAt = new Date(Date.UTC(2026, 2, 1 + Math.floor(rnd() * 5), Math.floor(rnd() * 24), Math.floor(rnd() * 60)));
      if (i % 5 === 4) {
        stream.push({ id: `m${i}`, v: 0, item: mention({ postedAt: createdAt, author: { followers: Math.floor(rnd() * 1000) } }) });
        continue;
      }
      let replies = 0;
      let reopens = 0;
      for (let v = 0; v < 1 + Math.floor(rnd() * 5); v++) {
        const status = pick(["open", "pending", "solved", "closed"] as const);
        replies += Math.floor(rnd() * 2);
        if (v > 0 && rnd() < 0.3) reopens++;
        const resolved = status === "solved" || status === "closed";
        const at = (h: number) => new Date(createdAt.getTime() + h * 3_600_000 + Math.floor(rnd() * 3_600_000));
        stream.push({
          id: `t${i}`,
          v,
          item: ticket({
            createdAt, status, agentReplies: replies, reopens, channel: pick(["email", "chat", "phone"]),
            tags: rnd() < 0.5 ? ["billing"] : ["billing", "late"],
            firstResponseAt: replies > 0 ? at(1) : undefined,
            resolvedAt: resolved ? at(2 + v * 10) : undefined,
            handleTimeSec: resolved && rnd() < 0.5 ? Math.floor(rnd() * 2000) : undefined,
            enrichment: { language: "en", sentiment: { label: pick(["positive", "neutral", "negative"] as const), score: rnd() * 2 - 1 } },
          }),
        });
      }
    }
    const newest = new Map<string, Version>();
    for (const s of stream) if ((newest.get(s.id)?.v ?? -1) < s.v) newest.set(s.id, s);

    // deliver: every version 1-3 times, shuffled
    const deliveries = stream.flatMap((s) => Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => s));
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
    }
    const stored = new Map<string, { v: number; applied: Contribution[] }>();
    const docs = new Map<string, RollupDoc>();
    for (let b = 0; b < deliveries.length; b += 7) {
      const batch = new Map<string, RollupIncrement>();
      for (const d of deliveries.slice(b, b + 7)) {
        const prev = stored.get(d.id);
        if (prev && prev.v > d.v) continue; // a late older version never overwrites a newer one
        const current = contributionsOf(d.item);
        diffContributions(prev?.applied ?? [], current, WS, batch);
        stored.set(d.id, { v: d.v, applied: current });
      }
      applyAll(docs, batch);
    }
    const scratch = rollupDocsOf("acme", "all", [...newest.values()].flatMap((s) => contributionsOf(s.item)));
    expect(compacted(docs)).toEqual(scratch);
    expect(scratch.size).toBeGreaterThan(20);
  });
});
