/**
 * Operators can tell who did what: a worker process carries its WORKER_NAME into BullMQ (each job
 * records it as `processedBy`) and logs one line per finished job with the queue, job id, number
 * of items and milliseconds.
 */
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkers, type RunningWorkers } from "../../../workers/start-workers";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";

let t: TestApi;
let workers: RunningWorkers;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  t = await makeTestApi({ WORKER_NAME: "worker-a" });
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split("\n")) if (l.trim()) lines.push(JSON.parse(l));
      done();
    },
  });
  const stores = { mongo: t.mongo, redisUrl: t.config.REDIS_URL!, close: async () => {} };
  workers = await startWorkers(t.config, stores, pino({ level: "info" }, sink));
});
afterAll(async () => {
  await workers?.close();
  await t?.close();
});

describe("named workers", () => {
  it("record their name on each job and log one line per job", async () => {
    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["ingest"]);
    const items = Array.from({ length: 7 }, (_, i) => ({
      source: "api", externalId: `T-${i}`, status: "open", subject: "Refund", body: "Where is my refund",
      createdAt: "2026-03-02T08:00:00Z", updatedAt: "2026-03-02T09:00:00Z",
    }));
    const res = await t.app.inject({ method: "POST", url: "/v1/tickets", headers: { authorization: auth }, payload: { items } });
    expect(res.statusCode, res.body).toBe(202);

    const deadline = Date.now() + 30_000;
    const enrichLine = () => lines.find((l) => l.msg === "job done" && l.queue === "enrich-items");
    while (!enrichLine() || !lines.some((l) => l.msg === "job done" && l.queue === "update-rollups")) {
      if (Date.now() > deadline) throw new Error(`no job lines; got ${JSON.stringify(lines.map((l) => l.msg))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const line = enrichLine()!;
    expect(line).toMatchObject({ worker: "worker-a", queue: "enrich-items", items: 7 });
    expect(typeof line.job).toBe("string");
    expect(line.ms).toEqual(expect.any(Number));
    const job = await t.queues.partitions[0]!.enrichItems.getJob(line.job as string);
    expect(job?.processedBy).toBe("worker-a");
  });
});
