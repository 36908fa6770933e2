/**
 * `npm start`: the whole system in one process with embedded defaults — API and workers (in a
 * thread of their own), plus the embedded MongoDB stand-in (data kept in DATA_DIR) and a private
 * redis-server when MONGO_URL / REDIS_URL are unset.
 */
import { startApi } from "./api/start-api";
import { loadConfig, readEnvFile } from "./shared/config";
import { removeEmbeddedUrls, writeEmbeddedUrls } from "./shared/infra/embedded-registry";
import { openStores } from "./shared/infra/stores";
import { onShutdown } from "./shared/infra/shutdown";
import { makeLogger } from "./shared/logger";
import { startWorkersInThread } from "./workers/in-thread";

readEnvFile();
const config = loadConfig();
const log = makeLogger(config.LOG_LEVEL, "undercurrent");
// Rethrown so that onShutdown's uncaught-error path logs it as fatal, closes and exits 1 (and an
// orchestrator restarts the process) instead of answering every request with an error.
const crash = (err: Error) =>
  process.nextTick(() => {
    throw err;
  });
const stores = await openStores(config, log, { allowEmbedded: true, onEmbeddedStoreStopped: crash }).catch((err: unknown) => {
  // A damaged or busy data directory is the operator's to fix: say what and how, without a stack.
  const code = (err as { code?: unknown }).code;
  if (code === "STORE_DAMAGED" || code === "STORE_LOCKED") {
    process.stderr.write(`\nUndercurrent cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  }
  throw err;
});
// The workers run in a thread of their own, so a backlog never slows the API's answers.
const workers = await startWorkersInThread(stores, stores.mongo.standin?.uri ?? config.MONGO_URL!, log, crash);
const api = await startApi(config, stores, log.child({ role: "api" }));
log.info(
  { url: api.url, docs: `${api.url}/docs`, mongo: stores.mongo.standin ? `embedded stand-in, data in ${stores.mongo.standin.dataDir}` : "MONGO_URL" },
  "Undercurrent is up",
);
if (stores.mongo.standin || stores.embeddedRedis) {
  writeEmbeddedUrls({
    mongoUrl: stores.mongo.standin?.uri,
    redisUrl: stores.embeddedRedis?.url,
    apiUrl: api.url,
    pid: process.pid,
  });
}
onShutdown(log, async () => {
  removeEmbeddedUrls();
  await api.close(); // stop accepting first
  await workers.close(); // then finish the jobs in hand
  await stores.close();
});
