/**
 * Starts one of our modules in a `worker_threads` thread, from the sources or from the bundle:
 * - from the sources (tests, `tsx` scripts): `sourceFile` (a .ts file next to `caller`) is loaded
 *   through tsx's CommonJS hook, because Node 20 applies no ESM loader hooks inside threads; such a
 *   module must not use top-level await;
 * - from dist/ (`npm start`): `bundledFile`, an entry point of scripts/build.ts, which sits beside
 *   the entry points while the caller's code may sit in dist/chunks.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

export interface ModuleThread {
  /** import.meta.url of the module that starts the thread */
  caller: string;
  /** the thread's module in the sources, relative to `caller` (e.g. "./thread.ts") */
  sourceFile: string;
  /** its entry point in dist/ (e.g. "standin-thread.js") */
  bundledFile: string;
}

/** Threads that have stopped: closing them has nothing to wait for. */
const exited = new WeakSet<Worker>();

export function startModuleThread(m: ModuleThread, options: Pick<WorkerOptions, "workerData" | "env">): Worker {
  const worker = newWorker(m, options);
  worker.once("exit", () => exited.add(worker));
  return worker;
}

/** Asks the thread to close (`{type: "close"}`), waits for its `{type: "closed"}` or its exit, then ends it. */
export async function closeThread(worker: Worker): Promise<void> {
  if (exited.has(worker)) return;
  const closed = new Promise<void>((resolve) => {
    worker.on("message", (m: { type?: unknown }) => m.type === "closed" && resolve());
    worker.once("exit", () => resolve());
  });
  worker.postMessage({ type: "close" });
  await closed;
  await worker.terminate();
}

function newWorker(m: ModuleThread, options: Pick<WorkerOptions, "workerData" | "env">): Worker {
  if (m.caller.endsWith(".ts")) {
    const tsxCjs = createRequire(m.caller).resolve("tsx/cjs/api");
    const entry = fileURLToPath(new URL(m.sourceFile, m.caller));
    const code = `require(${JSON.stringify(tsxCjs)}).register(); require(${JSON.stringify(entry)});`;
    return new Worker(code, { ...options, eval: true });
  }
  for (const dir of ["./", "../"]) {
    const url = new URL(dir + m.bundledFile, m.caller);
    if (existsSync(url)) return new Worker(url, options);
  }
  throw new Error(`${m.bundledFile} is missing beside ${m.caller}: run \`npm run build\``);
}
