/**
 * `node dist/start.js` as a user runs it (embedded stores, default settings) in a scratch directory,
 * for the benchmarks that measure the whole system: built first, ready, with an API key.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../shared/infra/free-port";

export const ROOT = join(import.meta.dirname, "../..");

/** Runs node with `args` and returns its stdout; throws with its stderr when it fails. */
export function runNode(args: string[], cwd = ROOT): string {
  const r = spawnSync(process.execPath, args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** `npm run build`: the server bundle, and with `web` the dashboard and its compressed copies. */
export function buildServer(opts: { web: boolean }): void {
  runNode(["--import", "tsx", "scripts/build.ts"]);
  if (!opts.web) return;
  runNode([join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--config", "web/vite.config.ts", "--logLevel", "warn"]);
  runNode(["--import", "tsx", "scripts/compress-web.ts"]);
}

export interface BuiltServer {
  base: string;
  /** an API key of workspace "acme" with the ingest, read and admin scopes */
  key: string;
  stop(): Promise<void>;
}

/** Starts the built server in a scratch directory (its data goes there) and waits until it is ready. */
export async function startBuiltServer(prefix: string): Promise<BuiltServer> {
  const cwd = mkdtempSync(join(tmpdir(), prefix));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [join(ROOT, "dist/start.js")], { cwd, env: { ...process.env, PORT: String(port), LOG_LEVEL: "warn" }, stdio: "ignore" });
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server.once("exit", r));
    }
    rmSync(cwd, { recursive: true, force: true });
  };
  try {
    for (let i = 0; ; i++) {
      if ((await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200) break;
      if (i > 600) throw new Error("the server did not become ready");
      await new Promise((r) => setTimeout(r, 100));
    }
    const out = runNode([join(ROOT, "dist/cli.js"), "keys", "create", "--workspace", "acme", "--scopes", "ingest,read,admin"], cwd);
    const key = /(uc_[A-Za-z0-9_-]+)/.exec(out)?.[1];
    if (!key) throw new Error(`no API key in: ${out}`);
    return { base, key, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
