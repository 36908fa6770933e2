/**
 * The private redis-server of `npm start` never outlives its process: it stops on a clean stop()
 * and also when the process is killed with SIGKILL (no handler of ours runs then). One that
 * cannot bind its port (taken meanwhile) is started again on another.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedRedis } from "../../../shared/infra/redis-server";
import { exitWithin, killAllChildren, spawnTs, waitFor, waitForOutput } from "../../support/procs-children";

afterAll(killAllChildren);

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ port, host: "127.0.0.1" }, () => {
      sock.end();
      resolve(true);
    });
    sock.once("error", () => resolve(false));
  });
}

describe("embedded redis-server", () => {
  it("stops with stop()", async () => {
    const redis = await startEmbeddedRedis();
    expect(await listening(redis.port)).toBe(true);
    await redis.stop();
    expect(await listening(redis.port)).toBe(false);
  });

  it("stops when its owner is killed with SIGKILL", async () => {
    const holder = spawnTs("test/fixtures/procs/embedded-redis-holder.ts", [], {});
    const port = Number(/port=(\d+)/.exec(await waitForOutput(holder, /port=\d+\n/, 15_000))![1]);
    expect(await listening(port)).toBe(true);
    holder.kill("SIGKILL");
    await exitWithin(holder, 5_000);
    await waitFor("redis-server to stop", async () => !(await listening(port)), { timeoutMs: 5_000 });
  });

  it("starts again on another port when redis-server exits before it listens, and says what it printed when it never does", async () => {
    // A redis-server stand-in that fails like a lost port race on its first start, then starts
    // the real one: each start appends its --port to a file.
    const dir = mkdtempSync(join(tmpdir(), "uc-redis-retry-"));
    try {
      const starts = join(dir, "starts");
      const flaky = join(dir, "flaky-redis-server");
      writeFileSync(
        flaky,
        `#!/bin/sh\necho "$2" >> '${starts}'\nif [ "$(wc -l < '${starts}')" -eq 1 ]; then echo "Warning: Could not create server TCP listening socket 127.0.0.1:$2: bind: Address already in use"; exit 1; fi\nexec redis-server "$@"\n`,
      );
      chmodSync(flaky, 0o755);
      const redis = await startEmbeddedRedis({ bin: flaky });
      const ports = readFileSync(starts, "utf8").trim().split("\n").map(Number);
      expect(ports).toHaveLength(2);
      expect(ports[1]).toBe(redis.port);
      expect(await listening(redis.port)).toBe(true);
      await redis.stop();

      const broken = join(dir, "broken-redis-server");
      writeFileSync(broken, `#!/bin/sh\necho "FATAL CONFIG FILE ERROR: Bad directive"\nexit 1\n`);
      chmodSync(broken, 0o755);
      await expect(startEmbeddedRedis({ bin: broken })).rejects.toThrow(/exited early with code 1 on port \d+: FATAL CONFIG FILE ERROR: Bad directive/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says how to install Redis when redis-server is missing", async () => {
    await expect(startEmbeddedRedis({ bin: "/nonexistent/redis-server" })).rejects.toThrow(/apt-get install redis-server/);
  });
});
