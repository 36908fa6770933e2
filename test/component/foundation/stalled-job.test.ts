/**
 * On a serial queue (global concurrency 1, like a partition's rollup drain), a job stuck on a call
 * that never returns fails after its stall deadline, and the next job runs; without the deadline
 * BullMQ would keep renewing the stuck job's lock and nothing behind it would ever run.
 */
import { Queue, QueueEvents, Worker } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { makeWorkerConnection } from "../../../shared/queues/connection";
import { withStallDeadline } from "../../../workers/stall-deadline";
import { testConfig } from "../../support/stores";

const config = testConfig();
const closers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

describe("a stuck job on a serial queue", () => {
  it("fails after the stall deadline and the job behind it runs", { timeout: 20_000 }, async () => {
    const name = "serial-stall";
    const opts = { connection: makeWorkerConnection(config.REDIS_URL!), prefix: config.QUEUE_PREFIX };
    const queue = new Queue(name, opts);
    closers.push(() => queue.close());
    await queue.setGlobalConcurrency(1);
    const events = new QueueEvents(name, { connection: makeWorkerConnection(config.REDIS_URL!), prefix: config.QUEUE_PREFIX });
    closers.push(() => events.close());
    await events.waitUntilReady();
    const worker = new Worker(name, withStallDeadline(async (job) => (job.name === "stuck" ? new Promise(() => {}) : "done"), 500), { ...opts, concurrency: 1 });
    closers.push(() => worker.close(true));

    const stuck = await queue.add("stuck", {});
    const next = await queue.add("next", {});
    const [failed, completed] = await Promise.all([
      new Promise<string>((resolve) => events.on("failed", (e) => e.jobId === stuck.id && resolve(e.failedReason))),
      new Promise<string>((resolve) => events.on("completed", (e) => e.jobId === next.id && resolve(String(e.returnvalue)))),
    ]);
    expect(failed).toMatch(/no progress for 500 ms/);
    expect(completed).toBe("done");
  });
});
