/**
 * The rollup drain's round trips to MongoDB (bench:trends reports them per 1,000 items): whole
 * batches in one reply (no getMore), the saved searches read once per operation, and the lease
 * renewed by its clock rather than before every operation. Counted with the driver's command
 * monitoring on a client of its own.
 */
import { MongoClient, type CommandStartedEvent } from "mongodb";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectionsOf } from "../../../shared/db/collections";
import type { WorkerDeps } from "../../../workers/deps";
import { DRAIN_LEASE_MS, makeUpdateRollups } from "../../../workers/processors/update-rollups";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";
import { fakeJob, makeTestWorkers, testPublisher } from "../../support/workers";

let t: TestApi;
let client: MongoClient;
const commands: string[] = [];
beforeAll(async () => {
  t = await makeTestApi();
  client = new MongoClient(t.mongo.standin?.uri ?? t.config.MONGO_URL!, { monitorCommands: true });
  client.on("commandStarted", (e: CommandStartedEvent) => {
    const coll = e.command[e.commandName];
    commands.push(`${e.commandName} ${typeof coll === "string" ? coll : ""}`.trim());
  });
  await client.connect();
});
afterAll(async () => {
  await client?.close();
  await t?.close();
});

async function dirtyTickets(n: number): Promise<string> {
  const ws = randomId("ws");
  const auth = await t.bearer(ws, ["ingest"]);
  const items = Array.from({ length: n }, (_, i) => ({
    source: "api", externalId: `T-${i}`, channel: "email", status: "open", subject: "Refund", body: "Still waiting for my refund",
    createdAt: new Date(Date.UTC(2026, 2, 2, i % 24)).toISOString(), agentReplies: 0,
  }));
  const res = await t.app.inject({ method: "POST", url: "/v1/tickets", headers: { authorization: auth }, payload: { items } });
  expect(res.statusCode, res.body).toBe(202);
  await makeTestWorkers(t.config, t.mongo, t.queues).enrichPending(ws);
  return ws;
}

/** One drain through the monitored client; returns how many times each command ran. */
async function monitoredDrain(now: () => Date): Promise<Map<string, number>> {
  const db = client.db(t.mongo.db.databaseName);
  const deps: WorkerDeps = {
    config: t.config, db, cols: collectionsOf(db), queues: t.queues, publisher: testPublisher(t.config.REDIS_URL!), log: pino({ level: "silent" }), now,
  };
  commands.length = 0;
  const result = await makeUpdateRollups(deps)(fakeJob({ reason: "test" }));
  expect(result.items).toBeGreaterThan(0);
  const counts = new Map<string, number>();
  for (const c of commands) counts.set(c, (counts.get(c) ?? 0) + 1);
  return counts;
}

describe("rollup drain round trips", () => {
  it("reads each batch in one reply, the searches once per operation, and takes the lease once when it is quick", async () => {
    await dirtyTickets(600);
    const fixed = new Date("2026-03-03T00:00:00Z");
    const counts = await monitoredDrain(() => fixed);
    const ops = counts.get("insert rollup_ops") ?? 0;
    expect(ops).toBeGreaterThan(0);
    expect(counts.get("getMore items") ?? 0).toBe(0);
    expect(counts.get("find searches")).toBe(ops);
    expect(counts.get("update leases")).toBe(1); // the acquire; no renewal while the clock stands
  });

  it("renews the lease once a sixth of it has passed", async () => {
    await dirtyTickets(50);
    let ms = Date.parse("2026-03-03T00:00:00Z");
    // every reading of the clock moves it on by a sixth of the lease
    const counts = await monitoredDrain(() => new Date((ms += DRAIN_LEASE_MS / 6)));
    expect(counts.get("update leases")).toBeGreaterThan(1);
  });
});
