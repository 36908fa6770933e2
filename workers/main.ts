/**
 * `npm run start:worker`: the worker role on its own (MONGO_URL and REDIS_URL required):
 * config -> stores -> start workers -> graceful close on SIGTERM (the jobs in hand finish).
 */
import { loadConfig, readEnvFile } from "../shared/config";
import { openStores } from "../shared/infra/stores";
import { onShutdown } from "../shared/infra/shutdown";
import { makeLogger } from "../shared/logger";
import { startWorkers } from "./start-workers";

readEnvFile();
const config = loadConfig();
const log = makeLogger(config.LOG_LEVEL, "worker");
const stores = await openStores(config, log, { allowEmbedded: false });
const running = await startWorkers(config, stores, log);
onShutdown(log, async () => {
  await running.close();
  await stores.close();
});
