/**
 * `npm start` runs the worker role in a thread of its own (workers/thread.ts): the API keeps
 * answering within milliseconds while the workers chew through a backlog. The thread connects to
 * the stores this thread opened, embedded ones included.
 */
import type { Logger } from "pino";
import type { Stores } from "../shared/infra/stores";
import { closeThread, startModuleThread } from "../shared/infra/module-thread";

type FromThread = { type: "ready" } | { type: "failed"; message: string; stack?: string } | { type: "closed" };

export interface WorkersThread {
  close(): Promise<void>;
}

/**
 * `onCrash` is called when the thread dies on its own: nothing would be enriched or counted from
 * then on, so the caller should stop the process and let its supervisor restart it.
 */
export async function startWorkersInThread(stores: Stores, mongoUrl: string, log: Logger, onCrash: (err: Error) => void): Promise<WorkersThread> {
  const worker = startModuleThread(
    { caller: import.meta.url, sourceFile: "./thread.ts", bundledFile: "workers-thread.js" },
    { workerData: { pretty: Boolean(process.stdout.isTTY) }, env: { ...process.env, MONGO_URL: mongoUrl, REDIS_URL: stores.redisUrl } },
  );
  let state: "starting" | "running" | "closing" = "starting";
  await new Promise<void>((resolve, reject) => {
    worker.on("message", (m: FromThread) => {
      if (m.type === "ready") resolve();
      else if (m.type === "failed") reject(Object.assign(new Error(`the workers could not start: ${m.message}`), { stack: m.stack }));
    });
    worker.on("error", (err) => (state === "starting" ? reject(err) : onCrash(err)));
    worker.on("exit", (code) => {
      if (state === "starting") reject(new Error(`the workers' thread stopped while starting (exit code ${code})`));
      else if (state === "running") onCrash(new Error(`the workers' thread stopped (exit code ${code})`));
    });
  });
  state = "running";
  log.debug("workers running in their own thread");
  return {
    async close() {
      state = "closing";
      await closeThread(worker);
    },
  };
}
