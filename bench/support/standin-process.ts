/**
 * Runs the in-memory MongoDB stand-in as its own process for benchmarks, as a real MongoDB would
 * be, so its work does not share the event loop of the process being measured. Prints {uri}.
 */
import { startMongoStandin } from "../../shared/db/standin";

const standin = await startMongoStandin({ onLog: () => {} });
console.log(JSON.stringify({ uri: standin.uri }));
process.on("SIGTERM", () => void standin.close().then(() => process.exit(0)));
