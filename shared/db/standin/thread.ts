/**
 * The stand-in's own thread (a `worker_threads` Worker started by `startMongoStandin`): opens the
 * store, serves the wire protocol, and reports back to the thread that started it. Its event loop
 * then does nothing but store work: decoding, index scans, LMDB transactions and their fsync no
 * longer stop the API's and the workers' event loop, and they run on a second core.
 *
 * Messages to the parent: {type: "ready", port, dir} | {type: "failed", error} | {type: "log", msg}
 * | {type: "closed"}. From the parent: {type: "close"}.
 */
import { parentPort, workerData } from "node:worker_threads";
import { serveStore, type Serving } from "./serve";
import type { StandinThreadOptions, ThreadMessage } from "./thread-protocol";

const port = parentPort;
if (!port) throw new Error("shared/db/standin/thread.ts runs only as a worker thread (see startMongoStandin)");
const opts = workerData as StandinThreadOptions;
const send = (m: ThreadMessage) => port.postMessage(m);
const onLog = (msg: string) => send({ type: "log", msg });

let serving: Serving | undefined;
// No top-level await: from the sources this file is loaded as CommonJS (shared/infra/module-thread.ts).
void (async () => {
  try {
    serving = await serveStore(opts, onLog);
    send({ type: "ready", port: serving.port, dir: serving.dir });
    // For the end-to-end test of what `npm start` does when this thread dies (test/e2e).
    const exitAfterMs = Number(process.env.UC_TEST_STANDIN_THREAD_EXIT_AFTER_MS);
    if (exitAfterMs > 0) setTimeout(() => process.exit(70), exitAfterMs);
  } catch (err) {
    const e = err as Error & { code?: string };
    send({ type: "failed", error: { name: e.name, message: e.message, code: e.code, stack: e.stack } });
    port.close();
  }
})();

port.on("message", (m: { type: "close" }) => {
  if (m.type !== "close") return;
  void (async () => {
    await serving?.close();
    send({ type: "closed" });
    port.close();
  })();
});
