/**
 * Starts a private `redis-server` from PATH when no REDIS_URL is configured: for `npm start` on a
 * fresh machine and for the tests (a fresh one per run). Settings follow BullMQ's production
 * guide (noeviction); persistence is off because this instance lives only as long as the process.
 *
 * It must not outlive us even when we are killed with SIGKILL (no handler runs then), so it runs
 * under a small `sh` watchdog that reads our end of a pipe: when this process dies the pipe
 * closes, and the watchdog stops redis-server.
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

/**
 * `args`: more redis-server options (e.g. the cluster settings of a test cluster's nodes); a
 * function is asked again at each attempt, for options that name ports of their own.
 *
 * The port comes from the OS's free ports, and until redis-server binds it another process (or
 * an outgoing connection, which takes its local port from the same range) can take it. So a
 * redis-server that exits before it listens is started again on another port, a few times, and
 * the error then says what it printed.
 */
export async function startEmbeddedRedis(opts: { bin?: string; args?: string[] | (() => Promise<string[]>) } = {}): Promise<EmbeddedRedis> {
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const extra = typeof opts.args === "function" ? await opts.args() : (opts.args ?? []);
    try {
      return await startOnce(opts.bin ?? "redis-server", await freePort(), extra);
    } catch (err) {
      if (err instanceof RedisMissingError) throw err;
      lastError = err as Error;
    }
  }
  throw lastError!;
}

const START_ATTEMPTS = 4;

class RedisMissingError extends Error {}

async function startOnce(bin: string, port: number, extra: string[]): Promise<EmbeddedRedis> {
  const args = [
    "--port", String(port),
    "--bind", "127.0.0.1",
    "--save", "",
    "--appendonly", "no",
    "--maxmemory-policy", "noeviction",
    "--daemonize", "no",
    ...extra,
  ];
  const child: ChildProcess = spawn("sh", ["-c", WATCHDOG, bin, ...args], {
    stdio: ["pipe", "pipe", "ignore"],
  });
  // What redis-server logs until it listens (it logs to stdout), for the error if it exits first.
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-2_000);
  };
  child.stdout!.on("data", collect);
  const spawnFailed = new Promise<never>((_, reject) => {
    child.once("error", reject);
    // A moment for what it printed last to be read: the pipe's data and the exit arrive apart.
    child.once("exit", (code) =>
      setTimeout(
        () =>
          reject(
            code === 127
              ? new RedisMissingError(REDIS_MISSING_HELP)
              : new Error(`redis-server exited early with code ${code} on port ${port}: ${output.trim().split("\n").slice(-3).join(" | ")}`),
          ),
        50,
      ),
    );
  });
  try {
    await Promise.race([waitForPort(port, 5_000), spawnFailed]);
  } catch (err) {
    child.stdin!.end();
    throw err;
  }
  child.removeAllListeners("exit");
  child.on("error", () => {});
  child.stdout!.off("data", collect);
  child.stdout!.resume(); // keep draining its log, or redis-server would block on a full pipe
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.stdin!.end(); // the watchdog sees end of input and stops redis-server
      }),
  };
}

/**
 * `sh -c WATCHDOG redis-server <args>`: runs redis-server in the background, stops it when stdin
 * reaches its end (we closed it, or died), and exits with redis-server's status (127: not found).
 */
const WATCHDOG = [
  'command -v "$0" >/dev/null 2>&1 || exit 127',
  '"$0" "$@" & pid=$!',
  // A background list reads /dev/null unless told otherwise: hand it our stdin explicitly.
  'exec 3<&0',
  '(cat <&3 >/dev/null; kill "$pid" 2>/dev/null) &',
  'wait "$pid"',
].join("\n");

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
