/**
 * The worker role as a thread of `npm start` (started by workers/in-thread.ts): enrichment, the
 * rollup drain and the other processors get an event loop of their own, so their long synchronous
 * stretches (NLP, contributions, encoding large bulk writes) never hold up an API request.
 * It opens its own connections to the stores the starting thread opened (their URLs come in its
 * environment) and reports back: {type: "ready"} | {type: "failed", message, stack} | {type: "closed"}.
 * From the starting thread: {type: "close"}.
 */
import { parentPort, workerData } from "node:worker_threads";
import { pino } from "pino";
import { loadConfig } from "../shared/config";
import { openStores } from "../shared/infra/stores";
import { loggerOptions } from "../shared/logger";
import { startWorkers } from "./start-workers";

const port = parentPort;
if (!port) throw new Error("workers/thread.ts runs only as a worker thread (see workers/in-thread.ts)");
const { pretty } = workerData as { pretty: boolean };

// No top-level await: from the sources this file is loaded as CommonJS (shared/infra/module-thread.ts).
void (async () => {
  const config = loadConfig();
  const log = pino(loggerOptions(config.LOG_LEVEL, "undercurrent", pretty)).child({ role: "worker" });
  try {
    const stores = await openStores(config, log, { allowEmbedded: false });
    const running = await startWorkers(config, stores, log);
    port.on("message", (m: { type: string }) => {
      if (m.type !== "close") return;
      void (async () => {
        await running.close(); // finish the jobs in hand
        await stores.close();
        port.postMessage({ type: "closed" });
        port.close();
      })();
    });
    port.postMessage({ type: "ready" });
  } catch (err) {
    port.postMessage({ type: "failed", message: (err as Error).message, stack: (err as Error).stack });
    port.close();
  }
})();
