/**
 * Generated tickets for `bench/trends.ts`: one year of support tickets as the stored, enriched
 * item documents the pipeline writes (storedItemOf + what enrich-items sets), ready for the
 * rollup drain (`rollupDirty` set, no `rollupApplied` yet). Seeded, so two runs with the same
 * `--items` and `--seed` produce the same documents.
 */
import type { Enrichment, TicketInput } from "../../shared/domain/models";
import { storedItemOf } from "../../shared/domain/ingest/stored-item";
import { facetsOf } from "../../shared/domain/query/facets";

import { seededRandom as rngOf } from "./seeded-random";

export { rngOf };

function pick<T>(rnd: () => number, table: ReadonlyArray<readonly [T, number]>): T {
  let r = rnd() * table.reduce((s, [, w]) => s + w, 0);
  for (const [v, w] of table) {
    r -= w;
    if (r < 0) return v;
  }
  return table[table.length - 1]![0];
}

/** Standard normal (Box-Muller). */
function normal(rnd: () => number): number {
  const u = Math.max(rnd(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}

/** Log-normal with the given median (seconds) and shape sigma. */
function logNormal(rnd: () => number, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rnd));
}

type Channel = "email" | "chat" | "phone" | "web" | "social";

export const BENCH_CHANNELS: ReadonlyArray<readonly [Channel, number]> = [
  ["email", 40], ["chat", 25], ["phone", 15], ["web", 12], ["social", 8],
];
const SOURCE_OF: Record<Channel, TicketInput["source"]> = {
  email: "zendesk", chat: "intercom", phone: "zendesk", web: "freshdesk", social: "front",
};
/** median first-response and resolution-after-first-response seconds, per channel */
const TIMES: Record<Channel, { frt: number; res: number; replies: number }> = {
  email: { frt: 4 * 3600, res: 30 * 3600, replies: 0.55 },
  chat: { frt: 90, res: 20 * 60, replies: 0.25 },
  phone: { frt: 45, res: 12 * 60, replies: 0.2 },
  web: { frt: 6 * 3600, res: 40 * 3600, replies: 0.6 },
  social: { frt: 50 * 60, res: 5 * 3600, replies: 0.45 },
};
const TEAMS = [["tier1", 60], ["tier2", 25], ["billing", 15]] as const;
const LANGUAGES = [["en", 70], ["nl", 20], ["de", 10]] as const;
const SENTIMENTS = [["neutral", 50], ["negative", 30], ["positive", 20]] as const;
const TAGS = ["billing", "refund", "login", "bug", "shipping"];
const SUBJECTS = ["Refund still missing", "Cannot log in", "Order not delivered", "Invoice question", "App crashes on start"];

/** Relative ticket intensity by UTC weekday (0 = Sunday) and hour. */
const DOW = [0.35, 1.15, 1.1, 1.05, 1.0, 0.95, 0.4];
const HOUR = [0.2, 0.15, 0.1, 0.1, 0.15, 0.3, 0.6, 1.0, 1.4, 1.6, 1.6, 1.5, 1.3, 1.4, 1.5, 1.4, 1.3, 1.1, 0.9, 0.8, 0.7, 0.55, 0.4, 0.3];
const MAX_WEIGHT = Math.max(...DOW) * Math.max(...HOUR) * 1.15;

/**
 * `n` creation instants (ms) in [yearStart, yearStart + 365 d), sorted: weekly and daily pattern
 * plus 15% growth over the year (rejection sampling).
 */
export function creationTimes(n: number, yearStart: number, rnd: () => number): Float64Array {
  const span = 365 * 86_400_000;
  const out = new Float64Array(n);
  for (let i = 0; i < n; ) {
    const t = yearStart + Math.floor(rnd() * span);
    const d = new Date(t);
    const w = DOW[d.getUTCDay()]! * HOUR[d.getUTCHours()]! * (1 + (0.15 * (t - yearStart)) / span);
    if (rnd() * MAX_WEIGHT < w) out[i++] = t;
  }
  return out.sort();
}

export const BENCH_YEAR_START = Date.UTC(2025, 0, 1);

/** One stored, enriched, rollup-dirty ticket document created at `createdMs`. */
export function benchTicket(workspace: string, i: number, createdMs: number, rnd: () => number): Record<string, unknown> {
  const channel = pick(rnd, BENCH_CHANNELS);
  const times = TIMES[channel];
  const createdAt = new Date(createdMs);
  const r = rnd();
  // Most tickets are solved or closed; some are still open, pending or untouched.
  const status: TicketInput["status"] = r < 0.03 ? "new" : r < 0.07 ? "open" : r < 0.1 ? "pending" : r < 0.55 ? "solved" : "closed";
  let firstResponseAt: Date | undefined;
  let resolvedAt: Date | undefined;
  let agentReplies = 0;
  let reopens = 0;
  if (status !== "new") {
    const frt = Math.max(5, logNormal(rnd, times.frt, 1.0));
    firstResponseAt = new Date(createdMs + Math.round(frt * 1000));
    agentReplies = 1;
    // Geometric number of further replies.
    while (rnd() < times.replies && agentReplies < 30) agentReplies++;
  }
  if (status === "solved" || status === "closed") {
    const rr = rnd();
    reopens = rr < 0.92 ? 0 : rr < 0.98 ? 1 : 2;
    const res = Math.max(30, logNormal(rnd, times.res, 1.1)) * (1 + reopens);
    resolvedAt = new Date(firstResponseAt!.getTime() + Math.round(res * 1000));
  }
  const tags: string[] = [];
  const nTags = pick(rnd, [[0, 40], [1, 45], [2, 15]] as const);
  while (tags.length < nTags) {
    const t = TAGS[Math.floor(rnd() * TAGS.length)]!;
    if (!tags.includes(t)) tags.push(t);
  }
  const item: TicketInput = {
    source: SOURCE_OF[channel],
    externalId: `T-${i}`,
    channel,
    subject: SUBJECTS[i % SUBJECTS.length],
    body: "Hello, this is a generated ticket body for the trends benchmark.",
    status,
    priority: rnd() < 0.1 ? "high" : "normal",
    tags,
    team: pick(rnd, TEAMS),
    customer: {},
    createdAt,
    firstResponseAt,
    resolvedAt,
    updatedAt: new Date(Math.max(createdMs, firstResponseAt?.getTime() ?? 0, resolvedAt?.getTime() ?? 0)),
    agentReplies,
    customerMessages: 1 + Math.floor(rnd() * 3),
    reopens,
    handleTimeSec: status === "solved" || status === "closed" ? Math.round(Math.max(30, logNormal(rnd, 540, 0.8))) : undefined,
  };
  for (const k of ["firstResponseAt", "resolvedAt", "handleTimeSec"] as const) if (item[k] === undefined) delete item[k];
  const label = pick(rnd, SENTIMENTS);
  const score = Math.round((label === "neutral" ? (rnd() - 0.5) * 0.3 : (0.15 + rnd() * 0.85) * (label === "negative" ? -1 : 1)) * 1e4) / 1e4;
  const enrichment: Enrichment = {
    language: pick(rnd, LANGUAGES),
    tokens: [],
    terms: [],
    keywords: [],
    sentiment: { score, label, drivers: [] },
  };
  const receivedAt = item.updatedAt;
  const stored = storedItemOf(workspace, { kind: "ticket", item }, receivedAt);
  // What enrich-items writes: enrichment, facets, searchIds, rollupDirty; pending is unset.
  const { pending: _p, pendingSince: _ps, ...rest } = stored;
  return {
    ...rest,
    enrichment,
    facets: facetsOf("ticket", item, enrichment),
    searchIds: [],
    dfCounted: true,
    rollupDirty: `bench-${i}`,
    enrichedAt: receivedAt,
  };
}
