import { describe, expect, it } from "vitest";
import { partitionNumbers, partitionOf, queuePrefixOf } from "../../../shared/queues/partitions";
import { clusterNodesOf, isClusterTarget, redisTargetOf } from "../../../shared/queues/connection";
import { makeEnqueueHealth } from "../../../shared/queues/enqueue-health";

/** Redis Cluster's key slot (CRC16/XMODEM of the hash tag, or of the whole key), written out here. */
function slotOf(key: string): number {
  const open = key.indexOf("{");
  if (open >= 0) {
    const close = key.indexOf("}", open + 1);
    if (close > open + 1) key = key.slice(open + 1, close);
  }
  let crc = 0;
  for (const byte of Buffer.from(key)) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16_384;
}

describe("partitionOf", () => {
  it("is 0 for a single partition", () => {
    expect(partitionOf("acme", 1)).toBe(0);
  });

  it("is a fixed function of the workspace (same answer in every process and release)", () => {
    // FNV-1a 32 of "acme" is 0x45fd71af (computed with Python's integers); mod 4 = 3, mod 7 = 5.
    expect(partitionOf("acme", 4)).toBe(3);
    expect(partitionOf("acme", 7)).toBe(5);
  });

  it("spreads workspaces over every partition", () => {
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 8_000; i++) counts[partitionOf(`ws-${i}`, 8)]++;
    for (const c of counts) expect(c).toBeGreaterThan(800);
    expect(partitionNumbers(8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe("queuePrefixOf", () => {
  it("keeps QUEUE_PREFIX unchanged without a cluster and with one partition", () => {
    expect(queuePrefixOf("uc", { cluster: false, partitions: 1 }, 0)).toBe("uc");
    expect(queuePrefixOf("uc", { cluster: false, partitions: 1 })).toBe("uc");
  });

  it("gives each partition its own prefix", () => {
    expect(queuePrefixOf("uc", { cluster: false, partitions: 4 }, 3)).toBe("uc:3");
    expect(queuePrefixOf("uc", { cluster: false, partitions: 4 })).toBe("uc");
  });

  it("hash-tags every queue on a cluster, one slot per partition", () => {
    expect(queuePrefixOf("uc", { cluster: true, partitions: 4 }, 3)).toBe("{uc:3}");
    expect(queuePrefixOf("uc", { cluster: true, partitions: 4 })).toBe("{uc}");
    // All keys of one partition's queue share a slot; the partitions do not all share one.
    const p3 = queuePrefixOf("uc", { cluster: true, partitions: 4 }, 3);
    expect(new Set([`${p3}:enrich-items:wait`, `${p3}:enrich-items:meta`, `${p3}:update-rollups:active`].map(slotOf)).size).toBe(1);
    const slots = new Set([0, 1, 2, 3].map((p) => slotOf(`${queuePrefixOf("uc", { cluster: true, partitions: 4 }, p)}:enrich-items:wait`)));
    expect(slots.size).toBe(4);
  });

  it("keeps an operator's own hash tag", () => {
    expect(queuePrefixOf("{uc}", { cluster: true, partitions: 1 }, 0)).toBe("{uc}");
    expect(queuePrefixOf("{uc}", { cluster: true, partitions: 4 }, 2)).toBe("{uc}:2");
  });
});

describe("Redis targets", () => {
  it("reads REDIS_CLUSTER_NODES before REDIS_URL", () => {
    expect(redisTargetOf({ REDIS_CLUSTER_NODES: "a:1,b:2", REDIS_URL: "redis://x:3" })).toBe("redis+cluster://a:1,b:2");
    expect(redisTargetOf({ REDIS_URL: "redis://x:3" })).toBe("redis://x:3");
    expect(isClusterTarget("redis+cluster://a:1")).toBe(true);
    expect(isClusterTarget("redis://a:1")).toBe(false);
  });

  it("parses a cluster address with credentials", () => {
    expect(clusterNodesOf("redis+cluster://u:p%40ss@10.0.0.1:7000,10.0.0.2:7001")).toEqual({
      nodes: [{ host: "10.0.0.1", port: 7000 }, { host: "10.0.0.2", port: 7001 }],
      username: "u",
      password: "p@ss",
    });
    expect(() => clusterNodesOf("redis+cluster://nohost")).toThrow(/not a Redis Cluster address/);
  });
});

describe("enqueue health", () => {
  it("is failing after a failed enqueue until one succeeds or the hold passes", () => {
    let now = 0;
    const h = makeEnqueueHealth(() => new Date(now), 10_000);
    expect(h.failing()).toBeUndefined();
    h.failed(new Error("CROSSSLOT"), 5);
    expect(h.failing()).toMatchObject({ error: "CROSSSLOT", items: 5 });
    h.succeeded();
    expect(h.failing()).toBeUndefined();
    h.failed(new Error("down"), 2);
    now = 10_001;
    expect(h.failing()).toBeUndefined();
    expect(h.totals()).toEqual({ failures: 2, items: 7 });
  });
});
