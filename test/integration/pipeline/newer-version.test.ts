/**
 * A newer version of a ticket that was already enriched (a helpdesk sending "solved" after
 * "created", a connector re-sending a batch with changes) must be announced to the workers again,
 * not left for the sweeper's grace period. Enrichment job ids are derived from the item ids, so
 * this checks the announcement is not swallowed by the finished job of the previous version.
 */
import { describe, expect, it } from "vitest";
import { usePipelineHarness } from "../../support/procs-harness";
import { spawnWorker, waitFor, waitForOutput } from "../../support/procs-children";
import { expectConsistent, ingestInBatches, makeTickets, pipelineState, solvedLater } from "../../support/procs-pipeline";
import { randomId } from "../../support/stores";

const h = usePipelineHarness();

const settled = (ws: string) => async () => {
  const s = await pipelineState(h.t.mongo.cols, ws);
  return s.pending === 0 && s.dirty === 0 ? s : undefined;
};

describe("a newer version of an enriched ticket", () => {
  it("is announced again (a waiting enrich job) and enriched in its new version", { timeout: 120_000 }, async () => {
    const ws = randomId("ws");
    const auth = await h.t.bearer(ws, ["ingest", "read"]);
    const tickets = makeTickets(20, randomId("tk"));
    await ingestInBatches(h.t.app, auth, tickets.slice(0, 10), 10); // one batch
    await ingestInBatches(h.t.app, auth, tickets.slice(10), 1); // and tickets one by one (webhooks)

    const worker = spawnWorker(h.workerEnv);
    await waitForOutput(worker, /workers started/, 30_000);
    await waitFor("first versions settled", settled(ws), { timeoutMs: 60_000, child: worker });
    worker.kill("SIGTERM");
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(await h.t.queues.partitions[0]!.enrichItems.getJobCounts("waiting", "active")).toEqual({ waiting: 0, active: 0 });

    // The same batch again, and the single ticket again, each in a newer version.
    await ingestInBatches(h.t.app, auth, tickets.slice(0, 10).map(solvedLater), 10);
    await ingestInBatches(h.t.app, auth, [solvedLater(tickets[10]!)], 1);
    expect(await pipelineState(h.t.mongo.cols, ws)).toMatchObject({ pending: 11 });
    // Each new version must have a job to do it: otherwise it waits for the sweeper (60 s grace
    // plus its interval) although Redis never lost anything.
    const waiting = await h.t.queues.partitions[0]!.enrichItems.getWaiting();
    const announced = new Set(waiting.flatMap((j) => (j.data as { ids: string[] }).ids));
    const pendingIds = (await h.t.mongo.cols.items.find({ workspace: ws, pending: true }, { projection: { _id: 1 } }).toArray()).map((d) => d._id);
    expect(pendingIds.filter((id) => !announced.has(id)), "pending items with no enrich job").toEqual([]);

    const again = spawnWorker(h.workerEnv);
    await waitForOutput(again, /workers started/, 30_000);
    await waitFor("newer versions settled", settled(ws), { timeoutMs: 100_000, child: again });
    await expectConsistent(h.t.mongo, ws, {
      items: 20,
      resolved: new Set([...tickets.filter((x) => x.status === "solved"), ...tickets.slice(0, 11)].map((x) => x.externalId)).size,
    });
    again.kill("SIGTERM");
    expect(await again.exited).toEqual({ code: 0, signal: null });
  });
});
