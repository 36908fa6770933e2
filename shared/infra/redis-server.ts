/**
 * Starts a private `redis-server` from PATH when no REDIS_URL is configured: for `npm start` on a
 * fresh machine and for the tests (a fresh one per run). Settings follow BullMQ's production
 * guide (noeviction); persistence is off because this instance lives only as long as the process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createConnection } from "node:net";
import { freePort } from "./free-port";

export interface EmbeddedRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export const REDIS_MISSING_HELP =
  "redis-server was not found on PATH and REDIS_URL is not set. Install Redis " +
  "(`apt-get install redis-server`, `brew install redis`) or run `docker compose up -d redis` and set " +
  "REDIS_URL=redis://127.0.0.1:6379.";

export async function startEmbeddedRedis(opts: { bin?: string } = {}): Promise<EmbeddedRedis> {
  const port = await freePort();
  const args = [
    "--port", String(port),
    "--bind", "127.0.0.1",
    "--save", "",
    "--appendonly", "no",
    "--maxmemory-policy", "noeviction",
    "--daemonize", "no",
  ];
  let child: ChildProcess;
  try {
    child = spawn(opts.bin ?? "redis-server", args, { stdio: ["ignore", "ignore", "pipe"] });
  } catch {
    throw new Error(REDIS_MISSING_HELP);
  }
  const spawnFailed = new Promise<never>((_, reject) => {
    child.once("error", (err: NodeJS.ErrnoException) =>
      reject(err.code === "ENOENT" ? new Error(REDIS_MISSING_HELP) : err),
    );
    child.once("exit", (code) => reject(new Error(`redis-server exited early with code ${code}`)));
  });
  await Promise.race([waitForPort(port, 5_000), spawnFailed]);
  child.removeAllListeners("exit");
  child.on("error", () => {});
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = createConnection({ port, host: "127.0.0.1" }, () => {
        sock.end();
        resolve(true);
      });
      sock.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
