/**
 * The embedded MongoDB stand-in: a wire-protocol server whose documents and indexes live in an
 * embedded LMDB file, for `npm start` and the tests on machines without MongoDB. See README.md
 * in this folder for what it does and does not do.
 */
import { StandinServer } from "./server";
import { Store } from "./store";

export { backupStore, StoreDamagedError, StoreLockedError, type BackupResult } from "./engine";

export interface MongoStandin {
  /** connection string for the official driver */
  uri: string;
  port: number;
  /** where the data lives (a temporary directory when none was given) */
  dataDir: string;
  close(): Promise<void>;
}

export interface StartMongoStandinOptions {
  /** default 127.0.0.1 */
  host?: string;
  /** 0 (default) picks a free port */
  port?: number;
  /** where the start-up notice and protocol complaints go; default console.warn */
  onLog?: (msg: string) => void;
  /**
   * The data directory, created when missing; its data survives restarts. Unset: a fresh
   * temporary directory, removed by close() (tests, benchmarks).
   */
  dataDir?: string;
  /** read the whole file and check every document when opening an existing one (default true) */
  verifyOnOpen?: boolean;
  /** decoded-document cache in BSON bytes (default 32 MiB) */
  docCacheBytes?: number;
}

export async function startMongoStandin(opts: StartMongoStandinOptions = {}): Promise<MongoStandin> {
  const host = opts.host ?? "127.0.0.1";
  const onLog = opts.onLog ?? ((msg: string) => console.warn(msg));
  const store = await Store.open({ dir: opts.dataDir, docCacheBytes: opts.docCacheBytes, verifyOnOpen: opts.verifyOnOpen });
  const server = new StandinServer({ host, port: opts.port ?? 0, onLog, store });
  let port: number;
  try {
    port = await server.listen();
  } catch (err) {
    await store.close();
    throw err;
  }
  const uri = `mongodb://${host.includes(":") ? `[${host}]` : host}:${port}/?directConnection=true`;
  const limits = "It is NOT MongoDB: no transactions, change streams, authentication or replication, and one process only.";
  onLog(
    opts.dataDir === undefined
      ? `MONGO_URL is not set — using the embedded MongoDB stand-in at ${uri} on a TEMPORARY data directory (${store.dir}), deleted when it stops. ${limits}`
      : `MONGO_URL is not set — using the embedded MongoDB stand-in at ${uri}, keeping its data in ${store.dir} (LMDB, each acknowledged write on disk). ${limits}`,
  );
  let closed = false;
  return {
    uri,
    port,
    dataDir: store.dir,
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
      await store.close();
    },
  };
}
