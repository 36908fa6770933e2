/**
 * `npm start`: the whole system in one process with embedded defaults — API and workers, plus the
 * in-memory MongoDB stand-in and a private redis-server when MONGO_URL / REDIS_URL are unset.
 */
import { startApi } from "./api/start-api";
import { loadConfig, readEnvFile } from "./shared/config";
import { removeEmbeddedUrls, writeEmbeddedUrls } from "./shared/infra/embedded-registry";
import { openStores } from "./shared/infra/stores";
import { onShutdown } from "./shared/infra/shutdown";
import { makeLogger } from "./shared/logger";
import { startWorkers } from "./workers/start-workers";

readEnvFile();
const config = loadConfig();
const log = makeLogger(config.LOG_LEVEL, "undercurrent");
const stores = await openStores(config, log, { allowEmbedded: true });
const workers = await startWorkers(config, stores, log.child({ role: "worker" }));
const api = await startApi(config, stores, log.child({ role: "api" }));
log.info(
  { url: api.url, docs: `${api.url}/docs`, mongo: stores.mongo.standin ? "in-memory stand-in" : "MONGO_URL" },
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
