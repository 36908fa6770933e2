/**
 * The README's first minute, for real: `npm start` (start.ts) with no MONGO_URL / REDIS_URL starts
 * its own MongoDB stand-in and redis-server; the CLI, run beside it, finds the stand-in through
 * .undercurrent/embedded.json and creates a key; that key reaches authenticated routes; a ticket
 * posted goes through the workers into the trends; SIGTERM stops everything cleanly (exit 0).
 *
 * Both processes use the working directory's .undercurrent/embedded.json, so this is the only
 * e2e file (parallel copies would clash) and it must not run while a developer's `npm start`
 * uses the same directory.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { portBelowEphemeralRange } from "../support/ports";
import { exitWithin, killAllChildren, REPO_ROOT, spawnTs, waitFor, type Child } from "../support/procs-children";

const REGISTRY = join(REPO_ROOT, ".undercurrent", "embedded.json");

let server: Child | undefined;
let base = "";
let embeddedRedisUrl = "";
let port = 0;
/** the embedded MongoDB's data directory (DATA_DIR), kept across the restarts below */
const dataDir = mkdtempSync(join(tmpdir(), "uc-e2e-data-"));

/** Starts start.ts on `port` and DATA_DIR and waits for /readyz. */
async function startServer(): Promise<Child> {
  // No MONGO_URL / REDIS_URL: start.ts must bring its own stores.
  const child = spawnTs("start.ts", [], { PORT: String(port), LOG_LEVEL: "info", SWEEP_INTERVAL_MS: "2000", DATA_DIR: dataDir });
  await waitFor(
    "/readyz to answer 200",
    async () => {
      const res = await fetch(`${base}/readyz`).catch(() => undefined);
      return res?.status === 200 ? res : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 200, child },
  );
  return child;
}

function registryPid(): number | undefined {
  try {
    return (JSON.parse(readFileSync(REGISTRY, "utf8")) as { pid?: number }).pid;
  } catch {
    return undefined;
  }
}

beforeAll(async () => {
  const owner = registryPid();
  if (owner !== undefined) {
    let alive = true;
    try {
      process.kill(owner, 0);
    } catch {
      alive = false;
    }
    if (alive) throw new Error(`an npm start (pid ${owner}) is already using ${REGISTRY}; stop it before running the e2e test`);
  }
  port = await portBelowEphemeralRange();
  base = `http://127.0.0.1:${port}`;
  server = await startServer();
}, 90_000);

afterAll(async () => {
  // A start.ts that did not shut down (a failed test) is killed; its redis-server child would
  // outlive it, so it is shut down through the URL start.ts recorded, and the registry removed.
  const ours = server !== undefined && registryPid() === server.pid;
  const redisUrl = ours ? (JSON.parse(readFileSync(REGISTRY, "utf8")) as { redisUrl?: string }).redisUrl : undefined;
  await killAllChildren();
  if (redisUrl) {
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on("error", () => {});
    await redis.connect().then(() => redis.call("SHUTDOWN", "NOSAVE")).catch(() => {});
    redis.disconnect();
  }
  if (ours) rmSync(REGISTRY, { force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawnTs("cli/main.ts", args, {});
  return exitWithin(child, 60_000).then((exit) => ({ code: exit.code, output: child.output() }));
}

describe("npm start, then the CLI, then the API", () => {
  let auth = "";

  it("serves /readyz with both embedded stores up and records them for the CLI", async () => {
    const ready = await (await fetch(`${base}/readyz`)).json();
    expect(ready).toEqual({ ready: true, mongo: { ok: true }, redis: { ok: true }, queues: { ok: true } });
    expect(existsSync(REGISTRY)).toBe(true);
    const reg = JSON.parse(readFileSync(REGISTRY, "utf8"));
    expect(reg).toMatchObject({ pid: server!.pid, apiUrl: base, mongoUrl: expect.stringMatching(/^mongodb:\/\//), redisUrl: expect.stringMatching(/^redis:\/\//) });
    expect(server!.output()).toContain(`keeping its data in ${dataDir}`);
    embeddedRedisUrl = reg.redisUrl;
  });

  it("creates a key with the CLI that authenticates against the running API", { timeout: 60_000 }, async () => {
    const { code, output } = await cli(["keys", "create", "--workspace", "acme", "--scopes", "ingest,read"]);
    expect(code, output).toBe(0);
    const key = output.match(/shown only this once:\s*\n\s*\n\s*(\S+)/)?.[1];
    expect(key, output).toBeTruthy();
    auth = `Bearer ${key}`;

    const res = await fetch(`${base}/v1/workspace`, { headers: { authorization: auth } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ workspace: "acme" });
    const anon = await fetch(`${base}/v1/workspace`);
    expect(anon.status).toBe(401);
  });

  let trendUrl = "";

  async function volume(): Promise<number | undefined> {
    const res = await fetch(trendUrl, { headers: { authorization: auth } });
    if (res.status !== 200) throw new Error(`GET volume: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { groups: { total: { n: number } }[] }).groups[0]?.total.n;
  }

  it("takes a ticket through the workers into the volume trend", { timeout: 90_000 }, async () => {
    expect(auth).not.toBe("");
    const createdAt = new Date(Date.now() - 3_600_000).toISOString();
    const post = await fetch(`${base}/v1/tickets`, {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/json" },
      body: JSON.stringify({ externalId: `e2e-${Date.now()}`, status: "open", channel: "email", subject: "Refund", body: "Where is my refund? It has been two weeks.", createdAt }),
    });
    expect(post.status).toBe(202);
    expect(await post.json()).toMatchObject({ accepted: 1, rejected: 0 });

    const from = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const url = `${base}/v1/trends/volume?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&interval=day`;
    trendUrl = url;
    const body = await waitFor(
      "the trend to count the ticket",
      async () => {
        const res = await fetch(url, { headers: { authorization: auth } });
        if (res.status !== 200) throw new Error(`GET volume: ${res.status} ${await res.text()}`);
        const json = (await res.json()) as { groups: { total: { n: number } }[] };
        return json.groups[0]?.total.n === 1 ? json : undefined;
      },
      { timeoutMs: 75_000, intervalMs: 250, child: server },
    );
    expect(body.groups[0]!.total.n).toBe(1);
  });

  it("exits 0 on SIGTERM within the shutdown grace period and removes its registry entry", { timeout: 60_000 }, async () => {
    server!.kill("SIGTERM");
    // onShutdown's grace is 25 s; a hang fails here, not at the test timeout.
    const exit = await exitWithin(server!, 35_000);
    expect(exit, server!.output()).toEqual({ code: 0, signal: null });
    expect(existsSync(REGISTRY)).toBe(false);
    // Its private redis-server went with it.
    const probe = new Redis(embeddedRedisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on("error", () => {});
    await expect(probe.connect().then(() => probe.ping())).rejects.toThrow();
    probe.disconnect();
  });

  it("starts again on the same DATA_DIR with the key and the trend as they were, after SIGTERM and after SIGKILL", { timeout: 180_000 }, async () => {
    expect(trendUrl).not.toBe("");
    server = await startServer();
    expect(await volume()).toBe(1);
    // a second ticket, acknowledged (202), then the process is killed without any shutdown
    const post = await fetch(`${base}/v1/tickets`, {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/json" },
      body: JSON.stringify({ externalId: `e2e-kill-${Date.now()}`, status: "open", channel: "chat", subject: "Login", body: "Cannot log in.", createdAt: new Date(Date.now() - 1_800_000).toISOString() }),
    });
    expect(post.status).toBe(202);
    server.kill("SIGKILL");
    await exitWithin(server, 10_000);
    server = await startServer();
    // the acknowledged ticket is there and reaches the trend (the sweeper re-announces it if its job was lost)
    await waitFor("both tickets in the trend", async () => ((await volume()) === 2 ? true : undefined), { timeoutMs: 75_000, intervalMs: 250, child: server });
    server.kill("SIGTERM");
    expect(await exitWithin(server, 35_000)).toEqual({ code: 0, signal: null });
  });

  it("exits 1 when the embedded store's thread dies, instead of answering every request with an error", { timeout: 90_000 }, async () => {
    const ownData = mkdtempSync(join(tmpdir(), "uc-e2e-data-"));
    try {
      server = spawnTs("start.ts", [], { PORT: String(port), LOG_LEVEL: "info", DATA_DIR: ownData, UC_TEST_STANDIN_THREAD_EXIT_AFTER_MS: "4000" });
      const exit = await exitWithin(server, 60_000);
      expect(exit, server.output()).toEqual({ code: 1, signal: null });
      expect(server.output()).toMatch(/stand-in's thread stopped \(exit code 70\)/);
      expect(existsSync(REGISTRY)).toBe(false);
    } finally {
      rmSync(ownData, { recursive: true, force: true });
    }
  });
});
