/**
 * The private redis-server of `npm start` never outlives its process: it stops on a clean stop()
 * and also when the process is killed with SIGKILL (no handler of ours runs then).
 */
import { createConnection } from "node:net";
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

  it("says how to install Redis when redis-server is missing", async () => {
    await expect(startEmbeddedRedis({ bin: "/nonexistent/redis-server" })).rejects.toThrow(/apt-get install redis-server/);
  });
});
