/**
 * The production path: `npm run build` bundles the entry points, `node dist/start.js` serves
 * with embedded stores, SIGTERM reaches the app (exit 0 after a graceful close), and neither a
 * clean stop nor SIGKILL leaves the private redis-server behind. Runs from a temporary working
 * directory so it never meets another test's `.undercurrent/` registry.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { portBelowEphemeralRange } from "../support/ports";
import { REPO_ROOT, childEnv, waitFor } from "../support/procs-children";

let cwd: string;
beforeAll(() => {
  const built = spawnSync(process.execPath, ["--import", "tsx", "scripts/build.ts"], { cwd: REPO_ROOT, encoding: "utf8" });
  expect(built.status, built.stderr).toBe(0);
  cwd = mkdtempSync(join(tmpdir(), "uc-built-"));
}, 60_000);
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ port, host: "127.0.0.1" }, () => {
      sock.end();
      resolve(true);
    });
    sock.once("error", () => resolve(false));
  });
}

async function startBuilt() {
  const port = await portBelowEphemeralRange();
  const proc = spawn(process.execPath, [join(REPO_ROOT, "dist/start.js")], {
    cwd,
    env: childEnv({ PORT: String(port), LOG_LEVEL: "info" }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  proc.stdout.on("data", (b: Buffer) => (output += b.toString()));
  proc.stderr.on("data", (b: Buffer) => (output += b.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  await waitFor(
    "/readyz to answer 200",
    async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200,
    { timeoutMs: 60_000, intervalMs: 200, describe: () => output },
  );
  const registry = JSON.parse(readFileSync(join(cwd, ".undercurrent/embedded.json"), "utf8")) as { redisUrl: string };
  return { proc, exited, output: () => output, redisPort: Number(new URL(registry.redisUrl).port) };
}

describe("node dist/start.js", () => {
  it("shuts down gracefully on SIGTERM and stops its redis-server", async () => {
    const s = await startBuilt();
    expect(await listening(s.redisPort)).toBe(true);
    s.proc.kill("SIGTERM");
    expect(await s.exited, s.output()).toBe(0);
    expect(s.output()).toMatch(/"signal":"SIGTERM".*"msg":"shutting down"/);
    expect(await listening(s.redisPort)).toBe(false);
  }, 90_000);

  it("leaves no redis-server behind when killed with SIGKILL", async () => {
    const s = await startBuilt();
    s.proc.kill("SIGKILL");
    await s.exited;
    await waitFor("redis-server to stop", async () => !(await listening(s.redisPort)), { timeoutMs: 5_000 });
  }, 90_000);
});
