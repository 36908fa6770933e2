/**
 * A private 3-primary Redis Cluster for a test file: three `redis-server --cluster-enabled yes`
 * on free ports (each under the same watchdog as the embedded Redis, so none outlives the run),
 * joined by `redis-cli --cluster create`. Stopped by the caller.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "../../shared/infra/free-port";
import { startEmbeddedRedis, type EmbeddedRedis } from "../../shared/infra/redis-server";

const run = promisify(execFile);

export interface TestRedisCluster {
  /** `host:port` of every primary, comma-separated (REDIS_CLUSTER_NODES) */
  nodes: string;
  ports: number[];
  /** the primary serving a key's slot */
  ownerOf(key: string): Promise<number>;
  stop(): Promise<void>;
}

export async function startRedisCluster(primaries = 3): Promise<TestRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), "uc-redis-cluster-"));
  const servers: EmbeddedRedis[] = [];
  try {
    for (let i = 0; i < primaries; i++) {
      servers.push(
        await startEmbeddedRedis({
          // The cluster bus gets its own free port (the default, port + 10000, may not be free or
          // valid), a new one at each start attempt.
          args: async () => [
            "--cluster-enabled", "yes",
            "--cluster-config-file", join(dir, `nodes-${i}.conf`),
            "--cluster-port", String(await freePort()),
            "--cluster-node-timeout", "2000",
            "--dir", dir,
          ],
        }),
      );
    }
    const addrs = servers.map((s) => `127.0.0.1:${s.port}`);
    await run("redis-cli", ["--cluster", "create", ...addrs, "--cluster-replicas", "0", "--cluster-yes"], { timeout: 30_000 });
    await waitForClusterOk(servers.map((s) => s.port));
  } catch (err) {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const ports = servers.map((s) => s.port);
  return {
    nodes: ports.map((p) => `127.0.0.1:${p}`).join(","),
    ports,
    async ownerOf(key: string) {
      const slot = Number((await run("redis-cli", ["-p", String(ports[0]), "cluster", "keyslot", key])).stdout.trim());
      // `cluster nodes`: id, ip:port@bus, flags, primary, ping, pong, epoch, link, then slot ranges.
      const { stdout } = await run("redis-cli", ["-p", String(ports[0]), "cluster", "nodes"]);
      for (const line of stdout.trim().split("\n")) {
        const fields = line.split(" ");
        const port = Number(fields[1]!.split("@")[0]!.split(":").pop());
        for (const range of fields.slice(8)) {
          const [start, end = start] = range.split("-").map(Number);
          if (slot >= start! && slot <= end!) return port;
        }
      }
      throw new Error(`no owner for slot ${slot}`);
    },
    async stop() {
      await Promise.all(servers.map((s) => s.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForClusterOk(ports: number[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(
      ports.map(async (p) => (await run("redis-cli", ["-p", String(p), "cluster", "info"])).stdout.includes("cluster_state:ok")),
    );
    if (states.every(Boolean)) return;
    if (Date.now() > deadline) throw new Error("the test Redis Cluster did not reach cluster_state:ok");
    await new Promise((r) => setTimeout(r, 100));
  }
}
