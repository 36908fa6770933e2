/**
 * `npm run start:api`: the API role on its own (MONGO_URL and REDIS_URL required):
 * config -> stores -> listen -> graceful close on SIGTERM.
 */
import { loadConfig, readEnvFile } from "../shared/config";
import { openStores } from "../shared/infra/stores";
import { onShutdown } from "../shared/infra/shutdown";
import { makeLogger } from "../shared/logger";
import { startApi } from "./start-api";

readEnvFile();
const config = loadConfig();
const log = makeLogger(config.LOG_LEVEL, "api");
const stores = await openStores(config, log, { allowEmbedded: false });
const api = await startApi(config, stores, log);
onShutdown(log, async () => {
  await api.close();
  await stores.close();
});
