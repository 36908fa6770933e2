/**
 * One stand-in as its own process for `bench:store`, so its resident memory and its restart time
 * are its own. argv: <standin index.ts to import> [<data dir>]. Prints `{"uri", "openMs"}` once it
 * answers (openMs: the stand-in's own start, without Node's); SIGTERM closes it and exits 0.
 */
import { pathToFileURL } from "node:url";

const [entry, dataDir] = process.argv.slice(2);
const { startMongoStandin } = (await import(pathToFileURL(entry!).href)) as typeof import("../../shared/db/standin");
const t0 = performance.now();
const standin = await startMongoStandin({ dataDir, onLog: () => {} });
console.log(JSON.stringify({ uri: standin.uri, openMs: performance.now() - t0 }));
process.on("SIGTERM", () => void standin.close().then(() => process.exit(0)));
