/**
 * Shared pieces of the pipeline integration tests: generated tickets, batch ingestion through the
 * API, MongoDB probes of the pipeline state, and the from-scratch rollup recomputation that the
 * incremental rollups must equal.
 */
import type { FastifyInstance } from "fastify";
import { expect } from "vitest";
import type { Collections } from "../../shared/db/collections";
import type { Db } from "mongodb";
import {
  compactMonthDoc,
  compactRollupDoc,
  contributionsOf,
  monthDocsOfDays,
  rollupDocsOf,
  type MonthRollupDoc,
  type RollupDoc,
} from "../../shared/domain/metrics";

const SUBJECTS = [
  ["Refund not received", "I returned the shoes two weeks ago and still have no refund. This is really frustrating."],
  ["Love the new app", "The new mobile app is great, checkout is so much faster now. Thanks!"],
  ["Password reset broken", "The password reset email never arrives, I tried three times today."],
  ["Late delivery", "My parcel is five days late and the tracking page has not changed since Monday."],
  ["Invoice question", "Can you send me a copy of the invoice for my last order? I need it for my accountant."],
  ["Damaged item", "The box arrived crushed and the lamp inside is broken. I want a replacement."],
  ["Subscription cancel", "Please cancel my subscription, the price went up again and it is too expensive."],
  ["Great support", "Your agent Maria was super helpful and solved everything in one call, awesome service."],
] as const;
const CHANNELS = ["email", "chat", "phone", "web"] as const;
const PLANS = ["free", "pro", "enterprise"] as const;
const BASE = Date.parse("2026-03-02T00:00:00Z");
const H = 3_600_000;

export interface GeneratedTicket {
  source: "api";
  externalId: string;
  channel: string;
  status: string;
  subject: string;
  body: string;
  tags: string[];
  customer: { plan: string };
  createdAt: string;
  firstResponseAt?: string;
  resolvedAt?: string;
  updatedAt: string;
  agentReplies: number;
  reopens: number;
}

/** `n` distinct tickets spread over a week of March 2026, about a third of them resolved. */
export function makeTickets(n: number, prefix: string): GeneratedTicket[] {
  return Array.from({ length: n }, (_, i) => {
    const [subject, body] = SUBJECTS[i % SUBJECTS.length]!;
    const created = BASE + ((i * 7) % (7 * 24)) * H + (i % 60) * 60_000;
    const resolved = i % 3 === 0;
    return {
      source: "api",
      externalId: `${prefix}-${i}`,
      channel: CHANNELS[i % CHANNELS.length]!,
      status: resolved ? "solved" : "open",
      subject,
      body: `${body} (order ${1000 + i})`,
      tags: i % 5 === 0 ? ["vip"] : [],
      customer: { plan: PLANS[i % PLANS.length]! },
      createdAt: new Date(created).toISOString(),
      firstResponseAt: new Date(created + H).toISOString(),
      ...(resolved ? { resolvedAt: new Date(created + 3 * H).toISOString() } : {}),
      updatedAt: new Date(created + 3 * H).toISOString(),
      agentReplies: i % 4,
      reopens: 0,
    };
  });
}

/** A newer version of a ticket: solved a day later with a different body. */
export function solvedLater(t: GeneratedTicket): GeneratedTicket {
  const created = Date.parse(t.createdAt);
  return {
    ...t,
    status: "solved",
    body: `${t.body} Update: customer confirmed it is fixed, thank you!`,
    resolvedAt: new Date(created + 24 * H).toISOString(),
    updatedAt: new Date(created + 24 * H).toISOString(),
    agentReplies: t.agentReplies + 1,
  };
}

/** POSTs `items` in batches of `size` through the API; every item must be accepted. */
export async function ingestInBatches(
  app: FastifyInstance,
  auth: string,
  items: readonly object[],
  size: number,
  url = "/v1/tickets",
): Promise<void> {
  for (let i = 0; i < items.length; i += size) {
    const batch = items.slice(i, i + size);
    const res = await app.inject({ method: "POST", url, headers: { authorization: auth }, payload: { items: batch } });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().accepted).toBe(batch.length);
  }
}

export interface PipelineState {
  items: number;
  pending: number;
  enriched: number;
  dirty: number;
}

export async function pipelineState(cols: Collections, workspace: string): Promise<PipelineState> {
  const [items, pending, enriched, dirty] = await Promise.all([
    cols.items.countDocuments({ workspace }),
    cols.items.countDocuments({ workspace, pending: true }),
    cols.items.countDocuments({ workspace, enrichment: { $exists: true } }),
    cols.items.countDocuments({ workspace, rollupDirty: { $exists: true } }),
  ]);
  return { items, pending, enriched, dirty };
}

/** True once nothing is pending enrichment and no rollup contribution is out of date. */
export async function isSettled(cols: Collections, workspace: string): Promise<boolean> {
  const s = await pipelineState(cols, workspace);
  return s.items > 0 && s.pending === 0 && s.dirty === 0;
}

/** The stored rollups of a workspace (day and month documents), compacted (zero measures dropped) and without `lastOp`. */
export async function storedRollups(cols: Collections, workspace: string): Promise<Map<string, RollupDoc | MonthRollupDoc>> {
  const docs = await cols.rollups.find({ workspace }).toArray();
  const out = new Map<string, RollupDoc | MonthRollupDoc>();
  for (const d of docs) {
    const { lastOp: _lastOp, ...rest } = d;
    const c = "month" in rest ? compactMonthDoc(rest as unknown as MonthRollupDoc) : compactRollupDoc(rest);
    if (c) out.set(d._id, c);
  }
  return out;
}

/** What the rollups must be: recomputed from scratch from the items as stored now (day and month documents). */
export async function recomputedRollups(cols: Collections, workspace: string): Promise<Map<string, RollupDoc | MonthRollupDoc>> {
  const items = await cols.items.find({ workspace }).toArray();
  const days = rollupDocsOf(workspace, "all", items.flatMap((d) => contributionsOf(d)));
  return new Map<string, RollupDoc | MonthRollupDoc>([...days, ...monthDocsOfDays(days.values())]);
}

/**
 * Sum of a measure over the untagged full-tuple copies of one family (tag copies and the other
 * cuts would count items more than once).
 */
export function totalOf(rollups: Map<string, RollupDoc | MonthRollupDoc>, family: string, measure = "n"): number {
  let sum = 0;
  for (const d of rollups.values()) {
    if (d.family !== family || d.tag !== null || d.cut !== "*" || !("h" in d)) continue;
    for (const slot of Object.values(d.h)) sum += slot[measure] ?? 0;
  }
  return sum;
}

/** Documents counted into the workspace's keyword corpus (each enriched document at most once). */
export async function corpusDocs(db: Db, workspace: string): Promise<number> {
  const doc = await db.collection<{ _id: string; docs: number }>("corpus_stats").findOne({ _id: workspace });
  return doc?.docs ?? 0;
}

/** Asserts the settled end state every pipeline test expects. */
export async function expectConsistent(
  mongo: { db: Db; cols: Collections },
  workspace: string,
  expected: { items: number; resolved: number },
): Promise<void> {
  const { cols } = mongo;
  const state = await pipelineState(cols, workspace);
  expect(state).toEqual({ items: expected.items, pending: 0, enriched: expected.items, dirty: 0 });
  const stored = await storedRollups(cols, workspace);
  const recomputed = await recomputedRollups(cols, workspace);
  expect(stored.size).toBeGreaterThan(0);
  // Compare key sets first (readable diff), then the documents.
  expect([...stored.keys()].sort()).toEqual([...recomputed.keys()].sort());
  for (const [id, doc] of recomputed) expect(stored.get(id), id).toEqual(doc);
  expect(totalOf(stored, "tickets_created")).toBe(expected.items);
  expect(totalOf(stored, "tickets_resolved")).toBe(expected.resolved);
  // No operation left half applied.
  const ops = await mongo.db.collection("rollup_ops").countDocuments({});
  expect(ops).toBe(0);
}
