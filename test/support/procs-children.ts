/**
 * Child processes for integration and e2e tests: the real entry points (`workers/main.ts`,
 * `start.ts`, `cli/main.ts`) run with `node --import tsx`, their output captured for assertions and
 * for failure messages. Every child started here is remembered so `killAllChildren()` (afterAll)
 * can SIGKILL whatever a failed test left running.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** stdout and stderr so far, interleaved */
  output(): string;
  /** resolves when the process has exited */
  exited: Promise<Exit>;
  alive(): boolean;
  kill(signal: NodeJS.Signals): void;
}

const children = new Set<Child>();

/**
 * A clean environment: PATH and HOME from ours plus `env`. Nothing else leaks in, in particular
 * not MONGO_URL / REDIS_URL / QUEUE_PREFIX of the test run.
 */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "test" };
  if (process.env.TMPDIR) base.TMPDIR = process.env.TMPDIR;
  return { ...base, ...env };
}

/** Runs `node --import tsx <entry> ...args` from the repository root (or `cwd`). */
export function spawnTs(entry: string, args: string[], env: Record<string, string>, opts: { cwd?: string } = {}): Child {
  const proc = spawn(process.execPath, ["--import", "tsx", entry, ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    env: childEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  proc.stderr!.on("data", (b: Buffer) => (out += b.toString()));
  const exited = new Promise<Exit>((res) => proc.once("exit", (code, signal) => res({ code, signal })));
  const child: Child = {
    proc,
    pid: proc.pid!,
    output: () => out,
    exited,
    alive: () => proc.exitCode === null && proc.signalCode === null,
    kill(signal) {
      if (child.alive()) proc.kill(signal);
    },
  };
  children.add(child);
  void exited.then(() => children.delete(child));
  return child;
}

/** A worker process (`npm run start:worker`) over the given stores. */
export function spawnWorker(env: {
  MONGO_URL: string;
  MONGO_DB: string;
  REDIS_URL: string;
  QUEUE_PREFIX: string;
  [k: string]: string;
}): Child {
  return spawnTs("workers/main.ts", [], { LOG_LEVEL: "info", ...env });
}

/** SIGKILLs every child still running (afterAll) and waits for them to be gone. */
export async function killAllChildren(): Promise<void> {
  const left = [...children];
  for (const c of left) c.kill("SIGKILL");
  await Promise.all(left.map((c) => c.exited));
}

/** Resolves with the exit, or rejects after `ms` (the child is left running: the caller decides). */
export async function exitWithin(child: Child, ms: number): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      child.exited,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`pid ${child.pid} still running after ${ms} ms; output:\n${tail(child.output())}`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Polls `probe` until it returns a value other than undefined/false. Fails after `timeoutMs` with
 * `what` and the last probe value (and a child's output when given), or early if `child` exits.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  opts: { timeoutMs: number; intervalMs?: number; child?: Child; describe?: () => Promise<string> | string },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    const extra = async () =>
      (opts.describe ? `\nstate: ${await opts.describe()}` : "") + (opts.child ? `\nchild output:\n${tail(opts.child.output())}` : "");
    if (opts.child && !opts.child.alive()) {
      throw new Error(`child pid ${opts.child.pid} exited while waiting for ${what}${await extra()}`);
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${what}${await extra()}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}

/** Waits until the child has printed a line matching `re` (e.g. pino's "workers started"). */
export function waitForOutput(child: Child, re: RegExp, timeoutMs: number): Promise<string> {
  return waitFor(`output matching ${re}`, () => child.output().match(re)?.[0], { timeoutMs, child, intervalMs: 50 });
}

export function tail(s: string, lines = 40): string {
  return s.split("\n").slice(-lines).join("\n");
}
