/**
 * A worker process killed with SIGKILL in the middle of enrichment loses nothing and doubles
 * nothing: its active jobs are handed to the next worker by BullMQ's stalled-job check, every
 * processor converges, and the rollups end equal to a from-scratch recomputation.
 *
 * Real everything: the API in this process over the MongoDB stand-in (shared with the workers
 * over TCP) and the run's redis-server; the workers are `workers/main.ts` child processes.
 */
import { describe, expect, it } from "vitest";
import { usePipelineHarness } from "../../support/procs-harness";
import { spawnWorker, waitFor, waitForOutput, type Child } from "../../support/procs-children";
import {
  corpusDocs,
  expectConsistent,
  ingestInBatches,
  makeTickets,
  pipelineState,
  solvedLater,
} from "../../support/procs-pipeline";
import { randomId } from "../../support/stores";

const TICKETS = 3_000;
const BATCH = 100;
const UPDATED = 300;

const h = usePipelineHarness({
  // Hand a dead worker's jobs over after seconds, not the default 30 s.
  WORKER_LOCK_MS: "6000",
});

describe("a worker killed with SIGKILL mid-batch", () => {
  it("loses nothing and doubles nothing", { timeout: 180_000 }, async () => {
    const ws = randomId("ws");
    const auth = await h.t.bearer(ws, ["ingest", "read"]);
    const tickets = makeTickets(TICKETS, randomId("tk"));

    // Everything is durable and pending before any worker runs.
    await ingestInBatches(h.t.app, auth, tickets, BATCH);
    // A redelivered batch changes nothing.
    await ingestInBatches(h.t.app, auth, tickets.slice(0, BATCH), BATCH);
    expect(await pipelineState(h.t.mongo.cols, ws)).toMatchObject({ items: TICKETS, pending: TICKETS, enriched: 0 });

    const first: Child = spawnWorker(h.workerEnv);
    await waitForOutput(first, /workers started/, 30_000);
    // Kill it as soon as part of the work is done.
    const partial = await waitFor(
      "some items enriched, not all",
      async () => {
        const s = await pipelineState(h.t.mongo.cols, ws);
        return s.enriched > 0 && s.enriched < TICKETS ? s : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 20, child: first },
    );
    const activeAtKill = (await h.t.queues.partitions[0]!.enrichItems.getActive()).map((j) => j.id!);
    expect(activeAtKill.length, "jobs in hand when killed").toBeGreaterThan(0);
    first.kill("SIGKILL");
    const exit = await first.exited;
    expect(exit.signal).toBe("SIGKILL");
    const afterKill = await pipelineState(h.t.mongo.cols, ws);
    expect(afterKill.enriched).toBeGreaterThanOrEqual(partial.enriched);
    expect(afterKill.pending).toBeGreaterThan(0);

    // While no worker runs, newer versions of some tickets arrive (some already enriched).
    const updated = tickets.slice(0, UPDATED).map(solvedLater);
    await ingestInBatches(h.t.app, auth, updated, BATCH);

    const second = spawnWorker(h.workerEnv);
    await waitForOutput(second, /workers started/, 30_000);
    await waitFor("pipeline settled (nothing pending, no dirty rollups)", async () => {
      const s = await pipelineState(h.t.mongo.cols, ws);
      return s.pending === 0 && s.dirty === 0 ? s : undefined;
    }, {
      timeoutMs: 150_000,
      intervalMs: 250,
      child: second,
      describe: async () => JSON.stringify(await pipelineState(h.t.mongo.cols, ws)),
    });

    // The jobs that were active in the killed worker are retried to completion by BullMQ. The
    // items may settle first (newer versions carry the same ids), so wait for the stalled-job check.
    await waitFor("the killed worker's jobs completed", async () => {
      const states = await Promise.all(activeAtKill.map((id) => h.t.queues.partitions[0]!.enrichItems.getJobState(id)));
      return states.every((st) => st === "completed") ? states : undefined;
    }, { timeoutMs: 60_000, intervalMs: 250, child: second });
    expect(await h.t.queues.partitions[0]!.enrichItems.getJobCounts("failed", "active", "wait", "delayed")).toEqual({
      failed: 0, active: 0, wait: 0, delayed: 0,
    });

    // Tickets solved now: every third of the originals plus the updated ones that were open.
    const resolved = new Set([
      ...tickets.filter((x) => x.status === "solved").map((x) => x.externalId),
      ...updated.map((x) => x.externalId),
    ]).size;
    await expectConsistent(h.t.mongo, ws, { items: TICKETS, resolved });
    // Each stored ticket carries its newest version and an enrichment of that version.
    const solvedUpdated = await h.t.mongo.cols.items.countDocuments({
      workspace: ws,
      externalId: { $in: updated.map((x) => x.externalId) },
      status: "solved",
      body: { $regex: "Update: customer confirmed" },
      enrichment: { $exists: true },
    });
    expect(solvedUpdated).toBe(UPDATED);
    // Document frequencies never count a document twice (a kill may undercount one batch).
    const docs = await corpusDocs(h.t.mongo.db, ws);
    expect(docs).toBeLessThanOrEqual(TICKETS);
    expect(docs).toBeGreaterThanOrEqual(TICKETS - 2 * BATCH);

    // The trend API, reading rollups only, counts each ticket once.
    const res = await h.t.app.inject({
      method: "GET",
      url: "/v1/trends/volume?from=2026-03-01T00:00:00Z&to=2026-03-12T00:00:00Z&interval=day",
      headers: { authorization: auth },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().groups[0].total.n).toBe(TICKETS);

    second.kill("SIGTERM");
    expect(await second.exited).toEqual({ code: 0, signal: null });
  });
});
