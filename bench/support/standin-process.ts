/**
 * Runs the embedded MongoDB stand-in as its own process for benchmarks, as a real MongoDB would
 * be, so its work does not share the event loop of the process being measured. Prints {uri}.
 * It keeps its data in a fresh directory of its own (so it fsyncs every commit, as `npm start`
 * does), removed when it stops. BENCH_STANDIN_ENTRY may name another stand-in's index.ts (e.g.
 * the in-memory one of an earlier commit, extracted by bench:store) for a comparison.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const entry = process.env.BENCH_STANDIN_ENTRY ? pathToFileURL(resolve(process.env.BENCH_STANDIN_ENTRY)).href : "../../shared/db/standin/index.ts";
const { startMongoStandin } = (await import(entry)) as typeof import("../../shared/db/standin");
const dataDir = mkdtempSync(join(tmpdir(), "uc-bench-standin-"));
const standin = await startMongoStandin({ dataDir, onLog: () => {} });
console.log(JSON.stringify({ uri: standin.uri }));
process.on("SIGTERM", () =>
  void standin.close().then(() => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  }),
);
