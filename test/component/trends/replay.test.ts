/**
 * Exact under at-least-once delivery: a seeded stream of ticket versions (created ->
 * replied -> solved -> reopened -> solved), mentions and survey answers is delivered through the
 * API shuffled, with duplicates and late older versions, while enrichment and rollup drains run at
 * random points and drains are killed between the steps of their write-ahead operation. At the
 * end the stored rollups must equal a from-scratch recomputation over the stored items.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";
import { makeTestWorkers } from "../../support/workers";
import {
  makeEnrichProcessor,
  recomputedRollups,
  seededRandom,
  storedRollups,
  type Rng,
} from "../../support/trends-helpers";

const MIN = 60_000;
const H = 3_600_000;
const DAY = 24 * H;
const DAY0 = Date.parse("2026-03-02T00:00:00Z");
const RANGE = "from=2026-02-23T00:00:00Z&to=2026-03-30T00:00:00Z&interval=week";

const CHANNELS = ["email", "chat", "phone", "web", "social"] as const;
const TEAMS = ["tier1", "tier2", "billing"] as const;
const TAGS = ["refund", "login", "shipping", "bug", "invoice"] as const;
const SEGMENTS = ["enterprise", "smb", "consumer"] as const;
const PLATFORMS = ["twitter", "reddit", "app-store", "review-site"] as const;
const TOUCHPOINTS = ["support", "onboarding", "purchase"] as const;
const TEXTS = [
  "Thank you so much, the support was great and the refund arrived quickly. Love it!",
  "This is terrible. I am still waiting for my refund and nobody answers, very angry.",
  "I cannot log in to my account since the last update, please help.",
  "Where is my order? The shipping tracking page shows nothing.",
  "The invoice amount is wrong, I was charged twice for the same month.",
  "Excellent service, friendly agent, problem solved in minutes. Happy customer.",
  "Awful experience, the app keeps crashing and support is useless.",
];

type Kind = "tickets" | "mentions" | "surveys";
interface Delivery {
  kind: Kind;
  item: Record<string, unknown>;
}
interface TicketPlan {
  externalId: string;
  versions: Record<string, unknown>[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** ~60 tickets with 1-5 versions each, plus mentions and survey answers. */
function generate(rng: Rng) {
  const tickets: TicketPlan[] = [];
  for (let i = 0; i < 60; i++) {
    const externalId = `T-${i}`;
    const created = DAY0 + rng.int(0, 6) * DAY + rng.int(0, 23) * H + rng.int(0, 59) * MIN + rng.int(0, 59_999);
    const channel = rng.pick(CHANNELS);
    const tags = rng.chance(0.15) ? [] : [...new Set([rng.pick(TAGS), rng.pick(TAGS)])];
    const base = {
      source: "api",
      externalId,
      channel,
      subject: `Ticket ${i}`,
      customer: { id: `c${rng.int(1, 30)}`, segment: rng.pick(SEGMENTS), plan: rng.pick(["free", "pro"]), region: rng.pick(["EU", "US"]) },
      createdAt: iso(created),
    };
    let v: Record<string, unknown> = {
      ...base, status: "new", body: rng.pick(TEXTS), tags, team: rng.pick(TEAMS),
      agentReplies: 0, customerMessages: 1, reopens: 0, updatedAt: iso(created),
    };
    const versions = [v];
    const stages = rng.pick([1, 2, 3, 3, 3, 4, 5, 5, 5]);
    const zeroReply = rng.chance(0.15); // solved without any agent reply (still one-touch)
    let t = created;
    for (let s = 2; s <= stages; s++) {
      t += rng.int(5, 30 * 60) * MIN + rng.int(0, 59_999);
      if (s === 2) {
        v = zeroReply
          ? { ...v, status: "pending", customerMessages: 2, updatedAt: iso(t) }
          : { ...v, status: "open", firstResponseAt: iso(t), agentReplies: 1, updatedAt: iso(t) };
      } else if (s === 3) {
        v = {
          ...v, status: "solved", resolvedAt: iso(t), updatedAt: iso(t),
          agentReplies: zeroReply ? 0 : rng.pick([1, 1, 2, 3]),
          ...(rng.chance(0.6) ? { handleTimeSec: rng.int(60, 5_000) + 0.4 } : {}),
          tags: rng.chance(0.3) ? [...(v.tags as string[]), "vip"] : v.tags,
        };
      } else if (s === 4) {
        const { resolvedAt: _gone, handleTimeSec: _h, ...rest } = v;
        v = {
          ...rest, status: "open", reopens: 1, customerMessages: (v.customerMessages as number) + 1,
          body: rng.pick(TEXTS), team: rng.pick(TEAMS), updatedAt: iso(t),
        };
      } else {
        v = {
          ...v, status: rng.pick(["solved", "closed"]), resolvedAt: iso(t), updatedAt: iso(t),
          agentReplies: (v.agentReplies as number) + 1, handleTimeSec: rng.int(100, 9_000),
        };
      }
      versions.push(v);
    }
    tickets.push({ externalId, versions });
  }
  const mentions = Array.from({ length: 30 }, (_, i) => ({
    platform: rng.pick(PLATFORMS),
    externalId: `M-${i}`,
    text: rng.pick(TEXTS),
    author: { handle: `@u${i}`, ...(rng.chance(0.8) ? { followers: rng.int(0, 50_000) } : {}) },
    postedAt: iso(DAY0 + rng.int(0, 7 * 24 * 60 - 1) * MIN + rng.int(0, 59_999)),
  }));
  const surveys = Array.from({ length: 36 }, (_, i) => {
    const kind = rng.pick(["nps", "csat", "ces"] as const);
    const scale = kind === "nps" ? 10 : kind === "csat" ? rng.pick([5, 10]) : rng.pick([7, 5]);
    const score = rng.int(kind === "nps" ? 0 : 1, scale);
    return {
      externalId: `S-${i}`,
      kind,
      score,
      scale,
      comment: rng.chance(0.7) ? rng.pick(TEXTS) : "",
      touchpoint: rng.pick(TOUCHPOINTS),
      channel: rng.pick(CHANNELS),
      team: rng.pick(TEAMS),
      customer: { segment: rng.pick(SEGMENTS) },
      respondedAt: iso(DAY0 + rng.int(0, 7 * 24 * 60 - 1) * MIN),
    };
  });
  return { tickets, mentions, surveys };
}

/** Every item once, ~35% redelivered, shuffled, and some oldest versions delivered again last. */
function deliveriesOf(rng: Rng, g: ReturnType<typeof generate>): Delivery[] {
  const once: Delivery[] = [
    ...g.tickets.flatMap((t) => t.versions.map((item) => ({ kind: "tickets" as const, item }))),
    ...g.mentions.map((item) => ({ kind: "mentions" as const, item })),
    ...g.surveys.map((item) => ({ kind: "surveys" as const, item })),
  ];
  const all = rng.shuffle([...once, ...once.filter(() => rng.chance(0.35))]);
  const late = g.tickets.filter((t) => t.versions.length > 1 && rng.chance(0.4));
  for (const t of late) all.push({ kind: "tickets", item: t.versions[rng.int(0, t.versions.length - 2)]! });
  return all;
}

let t: TestApi;
beforeAll(async () => {
  t = await makeTestApi();
});
afterAll(async () => t?.close());

async function workspace() {
  const ws = randomId("ws");
  const auth = await t.bearer(ws, ["ingest", "read"]);
  const post = async (kind: Kind, items: unknown[]) => {
    const res = await t.app.inject({ method: "POST", url: `/v1/${kind}`, headers: { authorization: auth }, payload: { items } });
    expect(res.statusCode, res.body).toBe(202);
    const body = res.json();
    expect(body.rejected, JSON.stringify(body.errors)).toBe(0);
    return body as { items: { id: string; status: string }[] };
  };
  const get = async (url: string) => {
    const res = await t.app.inject({ method: "GET", url, headers: { authorization: auth } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  return { ws, post, get };
}

async function leftovers(ws: string) {
  const items = t.mongo.cols.items;
  return {
    pending: await items.countDocuments({ workspace: ws, pending: true }),
    dirty: await items.countDocuments({ workspace: ws, rollupDirty: { $exists: true } }),
    ops: await t.mongo.db.collection("rollup_ops").countDocuments({}),
  };
}

describe("trends are exact under at-least-once delivery", () => {
  for (const seed of [20260302, 424242]) {
    it(`replays a shuffled stream with duplicates, late versions and killed drains (seed ${seed})`, async () => {
      const rng = seededRandom(seed);
      const gen = generate(rng);
      const stream = deliveriesOf(rng, gen);
      const { ws, post, get } = await workspace();

      // Random drains are killed, at each step of the write-ahead operation in turn (a step stays
      // armed until a drain reaches it), so every step is hit whatever order the stream takes.
      const STAGES = ["next-written", "op-written", "rollups-applied", "items-stamped"] as const;
      let killAt: string | null = null;
      let armed = 0;
      const kills: Record<string, number> = { "next-written": 0, "op-written": 0, "rollups-applied": 0, "items-stamped": 0 };
      const w = makeTestWorkers(t.config, t.mongo, t.queues, {
        failpoint: (stage) => {
          if (stage === killAt) {
            killAt = null;
            kills[stage]!++;
            throw new Error("killed");
          }
        },
      });
      const enrich = makeEnrichProcessor(t.config, t.mongo, t.queues);
      const drain = async () => {
        if (killAt === null && rng.chance(0.6)) killAt = STAGES[armed++ % STAGES.length]!; // armed until reached
        try {
          await w.drainRollups();
        } catch (err) {
          if ((err as Error).message !== "killed") throw err;
        }
      };

      for (let i = 0; i < stream.length; ) {
        const batch = stream.slice(i, (i += rng.int(1, 20)));
        for (const kind of ["tickets", "mentions", "surveys"] as const) {
          const items = batch.filter((d) => d.kind === kind).map((d) => d.item);
          if (items.length) await post(kind, items);
        }
        const r = rng.next();
        if (r < 0.2) {
          await w.enrichPending(ws);
        } else if (r < 0.45) {
          // a job for some of the pending items, sometimes delivered twice
          const pending = (await t.mongo.cols.items.find({ workspace: ws, pending: true }, { projection: { _id: 1 } }).toArray()).map((d) => d._id);
          const ids = pending.filter(() => rng.chance(0.6));
          if (ids.length) {
            await enrich(ws, ids);
            if (rng.chance(0.3)) await enrich(ws, ids);
          }
        }
        if (rng.chance(0.4)) {
          await drain();
          if (rng.chance(0.4)) await drain(); // an immediate retry (replays a killed operation)
        }
      }

      // Settle: no more kills; enrich and drain until nothing is left.
      killAt = null;
      for (let round = 0; round < 5; round++) {
        await w.settle(ws);
        const left = await leftovers(ws);
        if (left.pending + left.dirty + left.ops === 0) break;
      }
      expect(await leftovers(ws)).toEqual({ pending: 0, dirty: 0, ops: 0 });
      // the stream did exercise kills at every step of the write-ahead operation
      expect(kills["next-written"]).toBeGreaterThan(0);
      expect(kills["op-written"]).toBeGreaterThan(0);
      expect(kills["rollups-applied"]).toBeGreaterThan(0);
      expect(kills["items-stamped"]).toBeGreaterThan(0);

      // The newest version of every ticket is the one stored.
      const stored = new Map(
        (await t.mongo.cols.items.find({ workspace: ws, kind: "ticket" }).toArray()).flatMap((d) => (d.kind === "ticket" ? [[d.externalId, d] as const] : [])),
      );
      expect(stored.size).toBe(gen.tickets.length);
      for (const tk of gen.tickets) {
        const newest = tk.versions[tk.versions.length - 1]!;
        const doc = stored.get(tk.externalId)!;
        expect(doc.v).toBe(Date.parse(newest.updatedAt as string));
        expect({
          status: doc.status,
          resolvedAt: doc.resolvedAt?.toISOString(),
          firstResponseAt: doc.firstResponseAt?.toISOString(),
          agentReplies: doc.agentReplies,
          reopens: doc.reopens,
          team: doc.team,
          tags: doc.tags,
          body: doc.body,
          handleTimeSec: doc.handleTimeSec,
        }).toEqual({
          status: newest.status,
          resolvedAt: newest.resolvedAt,
          firstResponseAt: newest.firstResponseAt,
          agentReplies: newest.agentReplies,
          reopens: newest.reopens,
          team: newest.team,
          tags: newest.tags,
          body: newest.body,
          handleTimeSec: newest.handleTimeSec,
        });
      }

      // The rollups equal a from-scratch recomputation over the stored items.
      const actual = await storedRollups(t.mongo, ws);
      const expected = await recomputedRollups(t.mongo, ws);
      expect(Object.keys(expected).length).toBeGreaterThan(100);
      expect(actual).toEqual(expected);

      // And the API's totals agree with counts taken straight from the generated final versions.
      const finals = gen.tickets.map((tk) => tk.versions[tk.versions.length - 1]!);
      const resolved = finals.filter((v) => v.status === "solved" || v.status === "closed");
      const oneTouch = resolved.filter((v) => (v.agentReplies as number) <= 1 && v.reopens === 0);
      const reopened = resolved.filter((v) => (v.reopens as number) > 0);
      const vol = await get(`/v1/trends/volume?${RANGE}`);
      expect(vol.groups[0].total.n).toBe(gen.tickets.length);
      const fcr = await get(`/v1/trends/fcr?${RANGE}`);
      expect(fcr.groups[0].total.parts).toEqual({ resolved: resolved.length, oneTouch: oneTouch.length });
      const reopen = await get(`/v1/trends/reopen-rate?${RANGE}`);
      expect(reopen.groups[0].total.parts).toEqual({ resolved: resolved.length, reopened: reopened.length });
      const rt = await get(`/v1/trends/resolution-time?${RANGE}`);
      const sumSec = resolved.reduce((s, v) => s + Math.round((Date.parse(v.resolvedAt as string) - Date.parse(v.createdAt as string)) / 1000), 0);
      expect(rt.groups[0].total.n).toBe(resolved.length);
      expect(rt.groups[0].total.value).toBeCloseTo(sumSec / resolved.length, 6);
      const men = await get(`/v1/trends/mentions?${RANGE}`);
      expect(men.groups[0].total.parts).toEqual({
        count: gen.mentions.length,
        reach: gen.mentions.reduce((s, m) => s + ((m.author as { followers?: number }).followers ?? 0), 0),
      });
      const nps = gen.surveys.filter((s) => s.kind === "nps");
      const npsAnswer = await get(`/v1/trends/nps?${RANGE}`);
      expect(npsAnswer.groups[0].total.parts).toEqual({
        promoters: nps.filter((s) => s.score >= 9).length,
        passives: nps.filter((s) => s.score === 7 || s.score === 8).length,
        detractors: nps.filter((s) => s.score <= 6).length,
      });
    }, 60_000);
  }

  it("leaves the same state when a job runs twice and a webhook is delivered twice", async () => {
    const rng = seededRandom(99);
    const gen = generate(rng);
    const { ws, post } = await workspace();
    const w = makeTestWorkers(t.config, t.mongo, t.queues);
    const enrich = makeEnrichProcessor(t.config, t.mongo, t.queues);
    const firstVersions = gen.tickets.map((tk) => tk.versions[0]!);
    const newest = gen.tickets.map((tk) => tk.versions[tk.versions.length - 1]!);

    const snapshot = async () => ({
      items: await t.mongo.cols.items.find({ workspace: ws }, { projection: { enrichedAt: 0 } }).sort({ _id: 1 }).toArray(),
      rollups: await t.mongo.cols.rollups.find({ workspace: ws }, { projection: { lastOp: 0 } }).sort({ _id: 1 }).toArray(),
      corpus: await t.mongo.db.collection("corpus_stats").findOne({ _id: ws as never }),
      terms: await t.mongo.db.collection("term_stats").find({ _id: { $regex: `^${ws}\\|` } as never }).sort({ _id: 1 }).toArray(),
    });

    const created = await post("tickets", firstVersions);
    await post("surveys", gen.surveys);
    await post("mentions", gen.mentions);
    const ids = (await t.mongo.cols.items.find({ workspace: ws }, { projection: { _id: 1 } }).toArray()).map((d) => d._id);
    expect(created.items.every((i) => i.status === "created")).toBe(true);

    // the same enrich job twice
    await enrich(ws, ids);
    const afterOnce = await snapshot();
    await enrich(ws, ids);
    expect(await snapshot()).toEqual(afterOnce);

    // the same drain twice
    await w.drainRollups();
    const drainedOnce = await snapshot();
    expect(drainedOnce.rollups.length).toBeGreaterThan(0);
    await w.drainRollups();
    expect(await snapshot()).toEqual(drainedOnce);

    // newer versions, then the whole batch delivered again, each job run twice
    await post("tickets", newest);
    const again = await post("tickets", newest);
    expect(again.items.every((i) => i.status === "unchanged")).toBe(true);
    const redelivered = await post("tickets", firstVersions); // late older versions
    expect(redelivered.items.every((i) => i.status === "unchanged")).toBe(true);
    const pendingIds = (await t.mongo.cols.items.find({ workspace: ws, pending: true }, { projection: { _id: 1 } }).toArray()).map((d) => d._id);
    await enrich(ws, pendingIds);
    await enrich(ws, pendingIds);
    await w.drainRollups();
    const settled = await snapshot();
    await enrich(ws, pendingIds);
    await w.drainRollups();
    expect(await snapshot()).toEqual(settled);
    expect(await storedRollups(t.mongo, ws)).toEqual(await recomputedRollups(t.mongo, ws));

    // delivering everything again changes nothing at all
    await post("tickets", newest);
    await post("surveys", gen.surveys);
    await post("mentions", gen.mentions);
    expect(await leftovers(ws)).toEqual({ pending: 0, dirty: 0, ops: 0 });
    await w.settle(ws);
    expect(await snapshot()).toEqual(settled);
  }, 60_000);
});
