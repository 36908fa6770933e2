/**
 * Phrases and NEAR over the words as written (stop words counted), ordered NEAR, hashtags and
 * handles, end to end: a search created before the items arrived (matched live by the
 * enrichment pass) and one created after (the backfill: MongoDB filter + matcher) select the same
 * items and give the same trend; and items enriched before the change (no `enrichment.words`,
 * no hashtag words among their terms, matches computed with the old meaning) are migrated so the
 * re-run backfill gives exactly what live matching gives.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { isEnriched } from "../../../shared/db/collections";
import { runMigrations } from "../../../shared/db/migrations";
import { makeSearchesRepo } from "../../../shared/db/searches-repo";
import { makeCorpusStatsRepo } from "../../../shared/db/corpus-stats-repo";
import { normalizeQueryWord } from "../../../shared/domain/nlp";
import { compileMatcher, parseQuery } from "../../../shared/domain/query";
import { makeBackfillSearch } from "../../../workers/processors/backfill-search";
import { makeSweepPending } from "../../../workers/processors/sweep-pending";
import { makeSearchRegistry, type SearchRegistry } from "../../../workers/search-registry";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";
import { fakeJob, makeTestWorkers } from "../../support/workers";

let t: TestApi;
let registry: SearchRegistry;
let w: ReturnType<typeof makeTestWorkers>;
let backfill: ReturnType<typeof makeBackfillSearch>;

beforeAll(async () => {
  t = await makeTestApi();
  const searches = makeSearchesRepo(t.mongo.db);
  registry = makeSearchRegistry({ searches, log: pino({ level: "silent" }), corpus: makeCorpusStatsRepo(t.mongo.db) });
  w = makeTestWorkers(t.config, t.mongo, t.queues, { searches: registry });
  backfill = makeBackfillSearch({ ...w.deps, searches });
});
afterAll(async () => {
  await registry?.close();
  await t?.close();
});

async function workspace() {
  const ws = randomId("ws");
  return { ws, auth: await t.bearer(ws, ["ingest", "read", "searches"]) };
}
const call = (auth: string, method: "GET" | "POST", url: string, payload?: object) =>
  t.app.inject({ method, url, headers: { authorization: auth }, ...(payload ? { payload } : {}) });

const BODIES = [
  "I was put on hold for an hour", // 1
  "Hold on, the app is down", // 2
  "Still waited for my refund, thank you", // 3
  "Waiting still, no refund", // 4
  "flight into atl is delayed", // 5
  "flight delayed again", // 6
  "Delayed, the flight", // 7
  "where is my #REFUND @United", // 8
  "refund please", // 9
  "#RefundNow", // 10
];
const TICKETS = BODIES.map((body, i) => ({
  externalId: String(i + 1), source: "api", channel: i % 2 ? "chat" : "email", subject: "", body, status: "open",
  createdAt: "2026-03-02T10:00:00Z", language: "en",
}));
/** query -> the tickets it matches */
const QUERIES: Record<string, string[]> = {
  '"on hold"': ["1"],
  '"still waiting"': ["3"],
  '"thank you"': ["3"],
  "flight NEAR/2 delayed": ["6", "7"],
  "flight NEAR/3 delayed": ["5", "6", "7"],
  "flight NEAR/3f delayed": ["5", "6"],
  refund: ["3", "4", "8", "9"],
  "#refund": ["8"],
  "@united": ["8"],
  '"my refund"': ["3", "8"],
};
const RANGE = "from=2026-03-01T00:00:00Z&to=2026-03-04T00:00:00Z";

async function runBackfills(): Promise<void> {
  const jobs = await t.queues.backfillSearch.getJobs(["waiting", "delayed"]);
  for (const job of jobs) {
    await backfill(fakeJob(job.data));
    await job.remove();
  }
  await w.drainRollups();
}

async function matchesOf(ws: string, searchId: string): Promise<string[]> {
  const docs = await t.mongo.cols.items.find({ workspace: ws, searchIds: searchId }, { projection: { externalId: 1 } }).toArray();
  return docs.map((d) => String(d.externalId)).sort((a, b) => Number(a) - Number(b));
}

async function createSearches(auth: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const query of Object.keys(QUERIES)) {
    const res = await call(auth, "POST", "/v1/searches", { name: query, query });
    expect(res.statusCode).toBe(201);
    ids.set(query, res.json().id);
  }
  return ids;
}

describe("saved searches over the words as written", () => {
  it("a search created before the items and one created after select the same items and give the same trend", async () => {
    const live = await workspace();
    const liveIds = await createSearches(live.auth);
    await call(live.auth, "POST", "/v1/tickets", { items: TICKETS });
    await w.settle(live.ws);
    await runBackfills();

    const later = await workspace();
    await call(later.auth, "POST", "/v1/tickets", { items: TICKETS });
    await w.settle(later.ws);
    const laterIds = await createSearches(later.auth);
    await runBackfills();

    for (const [query, expected] of Object.entries(QUERIES)) {
      expect({ query, live: await matchesOf(live.ws, liveIds.get(query)!) }).toEqual({ query, live: expected });
      expect({ query, later: await matchesOf(later.ws, laterIds.get(query)!) }).toEqual({ query, later: expected });
      const trend = async (auth: string, id: string) =>
        (await call(auth, "GET", `/v1/searches/${id}/trends/volume?${RANGE}&groupBy=channel`)).json().groups;
      expect(await trend(later.auth, laterIds.get(query)!)).toEqual(await trend(live.auth, liveIds.get(query)!));
    }
  });

  it("migrates items enriched before words as written were stored, and re-runs every search's backfill", async () => {
    const { ws, auth } = await workspace();
    await call(auth, "POST", "/v1/tickets", { items: TICKETS });
    await w.settle(ws);
    const ids = await createSearches(auth);
    await runBackfills();
    const expected = new Map<string, string[]>();
    for (const [query, id] of ids) expected.set(query, await matchesOf(ws, id));

    // The state an earlier version left: no words, terms without the words inside hashtags, and
    // matches computed with the old meaning (here: every search matching every item).
    for (const doc of await t.mongo.cols.items.find({ workspace: ws }).toArray()) {
      const e = doc.enrichment as { tokens: string[] };
      await t.mongo.cols.items.updateOne(
        { _id: doc._id },
        { $unset: { "enrichment.words": "" }, $set: { "enrichment.terms": [...new Set(e.tokens)], searchIds: [...ids.values()] } },
      );
    }
    const revisions = new Map((await t.mongo.db.collection("searches").find({ workspace: ws }).toArray()).map((s) => [s._id, s.revision as number]));
    await t.mongo.db.collection("migrations").deleteMany({ _id: { $in: ["2027-01-item-words-as-written", "2027-01-searches-rematch-words-as-written"] } as never });
    await runMigrations(t.mongo.db, { info: () => {} });

    const migrated = await t.mongo.cols.items.findOne({ workspace: ws, externalId: "8" });
    expect(migrated).toMatchObject({ enrichment: { words: ["where", "is", "my", "#refund", "@united"] } });
    expect((migrated!.enrichment as { terms: string[] }).terms).toContain("refund");
    for (const s of await t.mongo.db.collection("searches").find({ workspace: ws }).toArray()) {
      expect(s).toMatchObject({ revision: revisions.get(s._id)! + 1, backfill: { state: "pending" }, announce: { revision: revisions.get(s._id)! + 1 } });
    }

    // the sweeper announces them (their backfill jobs), the backfills fix the matches
    await makeSweepPending(w.deps)(fakeJob({}));
    await runBackfills();
    for (const [query, id] of ids) {
      expect({ query, matches: await matchesOf(ws, id) }).toEqual({ query, matches: expected.get(query) });
      expect({ query, matches: expected.get(query) }).toEqual({ query, matches: QUERIES[query] });
    }
    // and the stored items now give exactly what live matching gives on a freshly enriched copy
    const fresh = await workspace();
    await call(fresh.auth, "POST", "/v1/tickets", { items: TICKETS });
    await w.settle(fresh.ws);
    const byId = async (x: string) =>
      new Map((await t.mongo.cols.items.find({ workspace: x }).toArray()).map((d) => {
        if (!isEnriched(d)) throw new Error(`item ${d._id} is not enriched`);
        return [d.externalId, d] as const;
      }));
    const [old, now] = [await byId(ws), await byId(fresh.ws)];
    for (const query of Object.keys(QUERIES)) {
      const m = compileMatcher(parseQuery(query), normalizeQueryWord);
      for (const [externalId, item] of now) expect({ query, externalId, m: m(old.get(externalId)!).matched }).toEqual({ query, externalId, m: m(item).matched });
    }
  });
});
