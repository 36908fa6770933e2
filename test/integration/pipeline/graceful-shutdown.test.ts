/**
 * SIGTERM to a worker process in the middle of a job: it stops taking jobs, finishes the ones in
 * hand, exits 0, and leaves nothing half done; a second worker finishes the rest, exactly once.
 */
import { describe, expect, it } from "vitest";
import { enrichItemsPayload } from "../../../shared/queues/payloads";
import { usePipelineHarness } from "../../support/procs-harness";
import { exitWithin, spawnWorker, waitFor, waitForOutput } from "../../support/procs-children";
import { corpusDocs, expectConsistent, ingestInBatches, makeTickets, pipelineState } from "../../support/procs-pipeline";
import { randomId } from "../../support/stores";

const TICKETS = 1_000;
const BATCH = 100;

const h = usePipelineHarness();

describe("SIGTERM to a worker mid-job", () => {
  it("finishes the jobs in hand, exits 0 and loses nothing", { timeout: 150_000 }, async () => {
    const ws = randomId("ws");
    const auth = await h.t.bearer(ws, ["ingest", "read"]);
    const tickets = makeTickets(TICKETS, randomId("tk"));
    await ingestInBatches(h.t.app, auth, tickets, BATCH);

    const first = spawnWorker(h.workerEnv);
    await waitForOutput(first, /workers started/, 30_000);
    // Wait until a job is in hand (and some work is already done), then ask the worker to stop.
    const inHand = await waitFor(
      "an active enrich job after some items were enriched",
      async () => {
        const s = await pipelineState(h.t.mongo.cols, ws);
        if (s.enriched === 0 || s.pending === 0) return undefined;
        const active = await h.t.queues.partitions[0]!.enrichItems.getActive();
        return active.length > 0 ? active.map((j) => j.id!) : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 20, child: first },
    );
    first.kill("SIGTERM");
    // The shutdown grace is 25 s; a worker that hangs fails here rather than at the test timeout.
    expect(await exitWithin(first, 40_000), first.output()).toEqual({ code: 0, signal: null });
    expect(first.output()).toMatch(/shutting down/);

    // The jobs it had in hand were finished, not abandoned: none is active (stalled) or failed.
    for (const id of inHand) expect(await h.t.queues.partitions[0]!.enrichItems.getJobState(id), `job ${id}`).toBe("completed");
    expect(await h.t.queues.partitions[0]!.enrichItems.getJobCounts("active", "failed")).toEqual({ active: 0, failed: 0 });
    // Nothing half done: the enriched items are exactly those of the completed jobs.
    const completed = await h.t.queues.partitions[0]!.enrichItems.getCompleted(0, -1);
    const doneIds = new Set(completed.flatMap((j) => enrichItemsPayload.parse(j.data).ids));
    const enrichedIds = (await h.t.mongo.cols.items.find({ workspace: ws, enrichment: { $exists: true } }, { projection: { _id: 1 } }).toArray()).map((d) => d._id);
    expect(enrichedIds.sort()).toEqual([...doneIds].sort());
    const stopped = await pipelineState(h.t.mongo.cols, ws);
    expect(stopped.pending).toBeGreaterThan(0); // it really stopped early, leaving work queued
    expect(await corpusDocs(h.t.mongo.db, ws)).toBe(stopped.enriched);

    // A second worker does the rest.
    const second = spawnWorker(h.workerEnv);
    await waitForOutput(second, /workers started/, 30_000);
    await waitFor(
      "pipeline settled",
      async () => {
        const s = await pipelineState(h.t.mongo.cols, ws);
        return s.pending === 0 && s.dirty === 0 ? s : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250, child: second, describe: async () => JSON.stringify(await pipelineState(h.t.mongo.cols, ws)) },
    );
    await expectConsistent(h.t.mongo, ws, { items: TICKETS, resolved: tickets.filter((x) => x.status === "solved").length });
    expect(await corpusDocs(h.t.mongo.db, ws)).toBe(TICKETS);

    second.kill("SIGTERM");
    expect(await exitWithin(second, 40_000)).toEqual({ code: 0, signal: null });
  });
});
