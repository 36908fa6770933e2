/**
 * Partitioned work: every workspace belongs to one of PARTITIONS partitions, and each partition
 * has its own enrichment and rollup queues. A workspace's items, its rollup drains and its rollup
 * buckets (whose `_id` starts with the workspace) therefore all stay in one partition, which is
 * what lets drains of different partitions run at the same time while each bucket still sees one
 * drain at a time (see workers/processors/update-rollups.ts).
 *
 * The assignment must be the same in every process and across restarts, so it is a fixed hash of
 * the workspace id (FNV-1a, 32 bits) modulo the partition count — not a lookup table and not
 * JavaScript's string hashing, which is not specified.
 */

/** The partition (0 … partitions-1) a workspace's work goes to. */
export function partitionOf(workspace: string, partitions: number): number {
  if (partitions <= 1) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < workspace.length; i++) {
    h ^= workspace.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}

/** Every partition number, for loops that set up or consume all of them. */
export function partitionNumbers(partitions: number): number[] {
  return Array.from({ length: Math.max(1, partitions) }, (_, i) => i);
}

export interface PrefixOptions {
  /** Redis Cluster: each key group needs a hash tag so its keys share one slot */
  cluster: boolean;
  partitions: number;
}

/**
 * The BullMQ prefix of a queue. BullMQ keys are `<prefix>:<queue>:<suffix>` and a queue's Lua
 * scripts touch several of them at once, so on a Redis Cluster they must hash to one slot: the
 * prefix carries a hash tag (`{uc}`, or `{uc:3}` for partition 3, so partitions spread over the
 * primaries). A QUEUE_PREFIX that already holds braces is the operator's own tag and used as is.
 * Without a cluster and with one partition, the prefix is QUEUE_PREFIX unchanged, so existing
 * deployments keep their keys.
 */
export function queuePrefixOf(base: string, opts: PrefixOptions, partition?: number): string {
  const partitioned = partition !== undefined && opts.partitions > 1;
  if (base.includes("{")) return partitioned ? `${base}:${partition}` : base;
  const name = partitioned ? `${base}:${partition}` : base;
  return opts.cluster ? `{${name}}` : name;
}
