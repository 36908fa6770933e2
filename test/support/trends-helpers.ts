/**
 * Helpers for the trends component tests: a seeded PRNG, the enrich processor called with chosen
 * ids, the stored rollups of a workspace in comparable form and their from-scratch recomputation,
 * and a normal tail probability computed independently of shared/domain/stats.
 */
import type { Job } from "bullmq";
import { pino } from "pino";
import { seededRandom as mulberry32 } from "../../bench/support/seeded-random";
import { makeCorpusStatsRepo } from "../../shared/db/corpus-stats-repo";
import { makeTextAnalyzer } from "../../shared/domain/nlp";
import { compactMonthDoc, compactRollupDoc, contributionsOf, monthDocsOfDays, rollupDocsOf, type MonthRollupDoc, type RollupDoc } from "../../shared/domain/metrics";
import type { Config } from "../../shared/config";
import type { Queues } from "../../shared/queues/producers";
import { makeEnrichItems } from "../../workers/processors/enrich-items";
import type { TestMongo } from "./stores";
import { fakeJob, testPublisher } from "./workers";

/** A seeded PRNG (the benchmarks' mulberry32), uniform in [0, 1), with helpers for random tests. */
export function seededRandom(seed: number) {
  const next = mulberry32(seed);
  return {
    next,
    /** integer in [lo, hi] */
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
    shuffle<T>(xs: T[]): T[] {
      for (let i = xs.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [xs[i], xs[j]] = [xs[j]!, xs[i]!];
      }
      return xs;
    },
  };
}
export type Rng = ReturnType<typeof seededRandom>;

/** The enrich-items processor itself, to call with chosen ids (as a queued job would). */
export function makeEnrichProcessor(config: Config, mongo: TestMongo, queues: Queues) {
  const enrich = makeEnrichItems({
    config,
    db: mongo.db,
    cols: mongo.cols,
    queues,
    publisher: testPublisher(config.REDIS_URL!),
    log: pino({ level: "silent" }),
    now: () => new Date(),
    analyzer: makeTextAnalyzer(),
    corpus: makeCorpusStatsRepo(mongo.db),
    searches: { matchIds: async () => [] },
  });
  return (workspace: string, ids: string[]): Promise<unknown> => enrich(fakeJob({ workspace, ids }) as Job);
}

type Comparable =
  | Pick<RollupDoc, "_id" | "workspace" | "scope" | "family" | "day" | "cut" | "dims" | "tag" | "h" | "d">
  | Pick<MonthRollupDoc, "_id" | "workspace" | "scope" | "family" | "month" | "cut" | "dims" | "tag" | "m">;

function comparable(d: RollupDoc): Comparable {
  return { _id: d._id, workspace: d.workspace, scope: d.scope, family: d.family, day: d.day, cut: d.cut, dims: d.dims, tag: d.tag, h: d.h, ...(d.d ? { d: d.d } : {}) };
}

function comparableMonth(doc: MonthRollupDoc): Comparable | null {
  const d = compactMonthDoc(doc);
  return d && { _id: d._id, workspace: d.workspace, scope: d.scope, family: d.family, month: d.month, cut: d.cut, dims: d.dims, tag: d.tag, m: d.m };
}

/**
 * The workspace's stored rollups of one scope, day and month documents, compacted (zero measures
 * and empty docs removed), by _id.
 */
export async function storedRollups(mongo: TestMongo, workspace: string, scope = "all"): Promise<Record<string, Comparable>> {
  const docs = await mongo.cols.rollups.find({ workspace, scope }).toArray();
  const out: Record<string, Comparable> = {};
  for (const d of docs) {
    const c = "month" in d ? comparableMonth(d as unknown as MonthRollupDoc) : compactRollupDoc(d);
    if (c) out[d._id] = "month" in c ? c : comparable(c);
  }
  return out;
}

/**
 * What a full recomputation from the workspace's stored items gives for one scope ("all", or a
 * saved-search id: the items that carry it in `searchIds`), by _id.
 */
export async function recomputedRollups(mongo: TestMongo, workspace: string, scope = "all"): Promise<Record<string, Comparable>> {
  const items = await mongo.cols.items.find(scope === "all" ? { workspace } : { workspace, searchIds: scope }).toArray();
  const docs = rollupDocsOf(workspace, scope, items.flatMap((it) => contributionsOf(it)));
  const out: Record<string, Comparable> = {};
  for (const [id, d] of docs) out[id] = comparable(d);
  // the month documents are the same sums, month by month (shared/domain/metrics/month-rollups.ts)
  for (const [id, d] of monthDocsOfDays(docs.values())) out[id] = comparableMonth(d)!;
  return out;
}

/**
 * Two-sided normal p-value 2·(1 − Φ(|z|)), by Simpson integration of the standard normal density
 * over [0, |z|] (independent of shared/domain/stats; error far below 1e-9 for |z| < 8).
 */
export function normalTwoSidedPByHand(z: number): number {
  const x = Math.abs(z);
  const steps = 20_000;
  const h = x / steps;
  const phi = (t: number) => Math.exp(-(t * t) / 2) / Math.sqrt(2 * Math.PI);
  let s = phi(0) + phi(x);
  for (let i = 1; i < steps; i++) s += (i % 2 === 1 ? 4 : 2) * phi(i * h);
  const half = (s * h) / 3; // Φ(|z|) − 1/2
  return 1 - 2 * half;
}
