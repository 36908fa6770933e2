/**
 * `npm run build`: bundles each entry point into one ES module under dist/, so production runs
 * `node dist/<role>.js` directly (signals reach the app, nothing compiles at start). Packages in
 * node_modules stay external: the image installs the runtime dependencies, and native or
 * dynamically loaded modules (msgpackr-extract, natural's data files) keep working.
 */
import { build, type Plugin } from "esbuild";
import { rmSync } from "node:fs";

const ENTRY_POINTS = {
  start: "start.ts", // npm start: API + workers + embedded stores in one process
  api: "api/server.ts", // npm run start:api
  worker: "workers/main.ts", // npm run start:worker
  cli: "cli/main.ts", // npm run cli
  "workers-thread": "workers/thread.ts", // npm start's workers, in a thread of their own (workers/in-thread.ts)
  "standin-thread": "shared/db/standin/thread.ts", // the embedded MongoDB stand-in's own thread (shared/db/standin/index.ts)
};

/**
 * We import a few files deep inside `natural` (its root loads storage back ends we do not want;
 * see shared/domain/nlp/README.md) without an extension, which tsx resolves but Node's ESM loader
 * does not: add the `.js`.
 */
const naturalDeepImports: Plugin = {
  name: "natural-deep-imports",
  setup(b) {
    b.onResolve({ filter: /^natural\/lib\// }, (args) => ({
      path: args.path.endsWith(".js") ? args.path : `${args.path}.js`,
      external: true,
    }));
  },
};

rmSync("dist", { recursive: true, force: true });
const result = await build({
  entryPoints: ENTRY_POINTS,
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20.19",
  packages: "external",
  sourcemap: "linked",
  splitting: true, // shared code in one chunk instead of four copies
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
  metafile: true,
  plugins: [naturalDeepImports],
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
process.stdout.write(`built ${Object.keys(ENTRY_POINTS).map((e) => `dist/${e}.js`).join(", ")} (${Math.round(bytes / 1024)} KiB)\n`);
