/**
 * MongoDB client factory. With MONGO_URL it connects there; without it, it starts the embedded
 * wire-protocol stand-in (shared/db/standin) on `dataDir` (a temporary directory when unset) and
 * points the official driver at it, so the app and the tests always go through the real `mongodb`
 * driver.
 */
import { MongoClient, type Db, type MongoClientOptions } from "mongodb";
import type { MongoStandin } from "./standin";

export interface MongoHandle {
  client: MongoClient;
  db: Db;
  /** set when the embedded stand-in serves this handle */
  standin?: MongoStandin;
  close(): Promise<void>;
}

export interface ConnectMongoOptions {
  url?: string;
  dbName: string;
  /** the embedded stand-in's data directory (only without `url`); unset = temporary, removed on close */
  dataDir?: string;
  onLog?: (msg: string) => void;
  /** the embedded stand-in's thread stopped while serving (see StartMongoStandinOptions.onStopped) */
  onStandinStopped?: (err: Error) => void;
  clientOptions?: MongoClientOptions;
}

export async function connectMongo(opts: ConnectMongoOptions): Promise<MongoHandle> {
  // Imported on demand: with a real MongoDB the stand-in (and its native LMDB module) is never loaded.
  const standin = opts.url ? undefined : await (await import("./standin")).startMongoStandin({ dataDir: opts.dataDir, onLog: opts.onLog, onStopped: opts.onStandinStopped });
  const url = opts.url ?? standin!.uri;
  const client = new MongoClient(url, {
    // Fail fast at start instead of hanging 30 s when the server is unreachable.
    serverSelectionTimeoutMS: 5_000,
    appName: "undercurrent",
    ...opts.clientOptions,
  });
  try {
    await client.connect();
  } catch (err) {
    await standin?.close();
    throw err;
  }
  const db = client.db(opts.dbName);
  return {
    client,
    db,
    standin,
    async close() {
      await client.close();
      await standin?.close();
    },
  };
}
