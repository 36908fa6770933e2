/**
 * A newer version of a ticket that was already enriched (a helpdesk sending "solved" after
 * "created", a connector re-sending a batch with changes) must be announced to the workers again,
 * not left for the sweeper's grace period. Enrichment job ids are derived from the item ids, so
 * this checks the announcement is not swallowed by the finished job of the previous version.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMongoStandin, type MongoStandin } from "../../../shared/db/standin";
import { makeTestApi, type TestApi } from "../../support/api";
import { killAllChildren, spawnWorker, waitFor, waitForOutput } from "../../support/procs-children";
import { expectConsistent, ingestInBatches, makeTickets, pipelineState, solvedLater } from "../../support/procs-pipeline";
import { randomId } from "../../support/stores";

let standin: MongoStandin;
let t: TestApi;
let workerEnv: Parameters<typeof spawnWorker>[0];

beforeAll(async () => {
  standin = await startMongoStandin({ onLog: () => {} });
  t = await makeTestApi({ MONGO_URL: standin.uri });
  workerEnv = {
    MONGO_URL: standin.uri,
    MONGO_DB: t.config.MONGO_DB,
    REDIS_URL: t.config.REDIS_URL!,
    QUEUE_PREFIX: t.config.QUEUE_PREFIX,
    SWEEP_INTERVAL_MS: "2000",
  };
});
afterAll(async () => {
  await killAllChildren();
  await t?.close();
  await standin?.close();
});

const settled = (ws: string) => async () => {
  const s = await pipelineState(t.mongo.cols, ws);
  return s.pending === 0 && s.dirty === 0 ? s : undefined;
};

describe("a newer version of an enriched ticket", () => {
  it("is announced again (a waiting enrich job) and enriched in its new version", { timeout: 120_000 }, async () => {
    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["ingest", "read"]);
    const tickets = makeTickets(20, randomId("tk"));
    await ingestInBatches(t.app, auth, tickets.slice(0, 10), 10); // one batch
    await ingestInBatches(t.app, auth, tickets.slice(10), 1); // and tickets one by one (webhooks)

    const worker = spawnWorker(workerEnv);
    await waitForOutput(worker, /workers started/, 30_000);
    await waitFor("first versions settled", settled(ws), { timeoutMs: 60_000, child: worker });
    worker.kill("SIGTERM");
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(await t.queues.enrichItems.getJobCounts("waiting", "active")).toEqual({ waiting: 0, active: 0 });

    // The same batch again, and the single ticket again, each in a newer version.
    await ingestInBatches(t.app, auth, tickets.slice(0, 10).map(solvedLater), 10);
    await ingestInBatches(t.app, auth, [solvedLater(tickets[10]!)], 1);
    expect(await pipelineState(t.mongo.cols, ws)).toMatchObject({ pending: 11 });
    // Each new version must have a job to do it: otherwise it waits for the sweeper (60 s grace
    // plus its interval) although Redis never lost anything.
    const waiting = await t.queues.enrichItems.getWaiting();
    const announced = new Set(waiting.flatMap((j) => (j.data as { ids: string[] }).ids));
    const pendingIds = (await t.mongo.cols.items.find({ workspace: ws, pending: true }, { projection: { _id: 1 } }).toArray()).map((d) => d._id);
    expect(pendingIds.filter((id) => !announced.has(id)), "pending items with no enrich job").toEqual([]);

    const again = spawnWorker(workerEnv);
    await waitForOutput(again, /workers started/, 30_000);
    await waitFor("newer versions settled", settled(ws), { timeoutMs: 100_000, child: again });
    await expectConsistent(t.mongo, ws, {
      items: 20,
      resolved: new Set([...tickets.filter((x) => x.status === "solved"), ...tickets.slice(0, 11)].map((x) => x.externalId)).size,
    });
    again.kill("SIGTERM");
    expect(await again.exited).toEqual({ code: 0, signal: null });
  });
});
