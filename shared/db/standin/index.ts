/**
 * The embedded MongoDB stand-in: a wire-protocol server whose documents and indexes live in an
 * embedded LMDB file, for `npm start` and the tests on machines without MongoDB. See README.md
 * in this folder for what it does and does not do.
 */
import { mkdirSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { closeThread, startModuleThread } from "../../infra/module-thread";
import { acquireLock, releaseLock, StoreDamagedError, StoreLockedError } from "./engine";
import type { Serving } from "./serve";
import type { StandinThreadOptions, ThreadError, ThreadMessage } from "./thread-protocol";

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
  /**
   * Called once if the stand-in's thread stops while it should be serving (it failed): every
   * database call fails from then on, so a process that cannot go on without it should exit.
   */
  onStopped?: (err: Error) => void;
}

export async function startMongoStandin(opts: StartMongoStandinOptions = {}): Promise<MongoStandin> {
  const host = opts.host ?? "127.0.0.1";
  const onLog = opts.onLog ?? ((msg: string) => console.warn(msg));
  const threadOpts: StandinThreadOptions = { host, port: opts.port ?? 0, dataDir: opts.dataDir, verifyOnOpen: opts.verifyOnOpen, docCacheBytes: opts.docCacheBytes };
  const running = await runInThread(threadOpts, onLog, opts.onStopped);
  const uri = `mongodb://${host.includes(":") ? `[${host}]` : host}:${running.port}/?directConnection=true`;
  const limits = "It is NOT MongoDB: no transactions, change streams, authentication or replication, and one process only.";
  onLog(
    opts.dataDir === undefined
      ? `MONGO_URL is not set — using the embedded MongoDB stand-in at ${uri} on a TEMPORARY data directory (${running.dir}), deleted when it stops. ${limits}`
      : `MONGO_URL is not set — using the embedded MongoDB stand-in at ${uri}, keeping its data in ${running.dir} (LMDB, each acknowledged write on disk). ${limits}`,
  );
  let closed = false;
  return {
    uri,
    port: running.port,
    dataDir: running.dir,
    async close() {
      if (closed) return;
      closed = true;
      await running.close();
    },
  };
}

async function runInThread(o: StandinThreadOptions, onLog: (msg: string) => void, onStopped?: (err: Error) => void): Promise<Serving> {
  // The lock is taken here, for the whole process: the thread's module state (which directories
  // this process has open) is its own, so a second thread could not see the first one's.
  const dir = o.dataDir === undefined ? undefined : resolvePath(o.dataDir);
  if (dir) mkdirSync(dir, { recursive: true });
  const lockPath = dir ? acquireLock(dir) : undefined;
  const unlock = () => dir && lockPath && releaseLock(dir, lockPath);
  const workerData: StandinThreadOptions = { ...o, dataDir: dir, lockHeld: lockPath !== undefined };
  const worker = startModuleThread({ caller: import.meta.url, sourceFile: "./thread.ts", bundledFile: "standin-thread.js" }, { workerData });
  let state: "starting" | "running" | "closing" = "starting";
  const ready = await new Promise<{ port: number; dir: string }>((resolve, reject) => {
    worker.on("message", (m: ThreadMessage) => {
      if (m.type === "log") onLog(m.msg);
      else if (m.type === "ready") resolve(m);
      else if (m.type === "failed") reject(errorFromThread(m.error));
    });
    worker.once("error", reject);
    worker.on("exit", (code) => {
      const msg = `the embedded MongoDB stand-in's thread stopped (exit code ${code})`;
      reject(new Error(msg));
      // Every query fails from here on; say why once, where the operator looks.
      if (state !== "running") return;
      onLog(`${msg}: every database call will now fail; restart the process`);
      onStopped?.(new Error(msg));
    });
  }).catch((err: unknown) => {
    unlock();
    throw err;
  });
  state = "running";
  worker.on("error", (err) => onLog(`mongo stand-in thread: ${err.stack ?? String(err)}`));
  return {
    ...ready,
    async close() {
      state = "closing";
      await closeThread(worker);
      unlock();
    },
  };
}

/** The thread's error as the class callers test for (StoreDamagedError, StoreLockedError keep their code). */
function errorFromThread(e: ThreadError): Error {
  const err = e.name === "StoreDamagedError" ? new StoreDamagedError(e.message) : e.name === "StoreLockedError" ? new StoreLockedError(e.message) : Object.assign(new Error(e.message), { code: e.code });
  if (e.stack) err.stack = e.stack;
  return err;
}
