/**
 * Shared set-up for the stand-in suite: one stand-in and one driver client per test file, random
 * database names per test, and the driver's command-started events for asserting what went over
 * the wire.
 */
import { randomBytes } from "node:crypto";
import { MongoClient, type CommandStartedEvent, type Db } from "mongodb";
import { afterAll, beforeAll } from "vitest";
import { startMongoStandin, type MongoStandin } from "../../../shared/db/standin";

export interface StandinHarness {
  standin(): MongoStandin;
  client(): MongoClient;
  /** a fresh database with a random name */
  freshDb(): Db;
  /** command-started events seen since the last `clearEvents()` */
  started: CommandStartedEvent[];
  clearEvents(): void;
  logs: string[];
}

export function randomName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString("hex")}`;
}

export function useStandin(): StandinHarness {
  let standin: MongoStandin | undefined;
  let client: MongoClient | undefined;
  const h: StandinHarness = {
    standin: () => standin!,
    client: () => client!,
    freshDb: () => client!.db(randomName("db")),
    started: [],
    clearEvents: () => void h.started.splice(0),
    logs: [],
  };
  beforeAll(async () => {
    standin = await startMongoStandin({ onLog: (m) => h.logs.push(m) });
    client = new MongoClient(standin.uri, { monitorCommands: true, serverSelectionTimeoutMS: 3_000 });
    client.on("commandStarted", (e) => h.started.push(e));
    await client.connect();
  });
  afterAll(async () => {
    await client?.close();
    await standin?.close();
  });
  return h;
}
