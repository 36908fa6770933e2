import { Queue } from "bullmq";
import { QUEUES } from "./names";
import { DEFAULT_JOB_OPTIONS } from "./options";
import { isClusterTarget, type RedisClient } from "./connection";
import { partitionNumbers, partitionOf, queuePrefixOf, type PrefixOptions } from "./partitions";

/** The queues of one partition: a workspace's items are enriched and drained only here. */
export interface PartitionQueues {
  partition: number;
  enrichItems: Queue;
  updateRollups: Queue;
}

export interface Queues {
  /** one entry per partition, indexed by partition number */
  partitions: PartitionQueues[];
  /** the partition queues a workspace's work goes to */
  of(workspace: string): PartitionQueues;
  backfillSearch: Queue;
  sweepPending: Queue;
  evaluateAlerts: Queue;
  deliverNotifications: Queue;
  close(): Promise<void>;
}

export interface QueueLayout extends Partial<PrefixOptions> {
  prefix: string;
}

/**
 * `onError` gets connection errors (the connection's owner usually logs them already). `layout`
 * is the QUEUE_PREFIX, or it with the partition count and whether Redis is a cluster.
 */
export function makeQueues(connection: RedisClient, layout: string | QueueLayout, onError: (err: Error) => void = () => {}): Queues {
  const { prefix, cluster = false, partitions = 1 } = typeof layout === "string" ? { prefix: layout } : layout;
  const opts = { cluster, partitions };
  const make = (name: string, partition?: number) => {
    const q = new Queue(name, { connection, prefix: queuePrefixOf(prefix, opts, partition), defaultJobOptions: DEFAULT_JOB_OPTIONS });
    q.on("error", onError);
    return q;
  };
  const perPartition: PartitionQueues[] = partitionNumbers(partitions).map((p) => ({
    partition: p,
    enrichItems: make(QUEUES.enrichItems, p),
    updateRollups: make(QUEUES.updateRollups, p),
  }));
  const shared = {
    backfillSearch: make(QUEUES.backfillSearch),
    sweepPending: make(QUEUES.sweepPending),
    evaluateAlerts: make(QUEUES.evaluateAlerts),
    deliverNotifications: make(QUEUES.deliverNotifications),
  };
  const queues: Queues = {
    partitions: perPartition,
    of: (workspace) => perPartition[partitionOf(workspace, perPartition.length)]!,
    ...shared,
    async close() {
      await Promise.all(allQueues(queues).map((q) => q.close()));
    },
  };
  return queues;
}

/** Every queue, e.g. for metrics and setup loops. */
export function allQueues(q: Queues): Queue[] {
  return [
    ...q.partitions.flatMap((p) => [p.enrichItems, p.updateRollups]),
    q.backfillSearch,
    q.sweepPending,
    q.evaluateAlerts,
    q.deliverNotifications,
  ];
}

/** Every queue with its label for logs and metrics: its name, plus `:<partition>` when there are several. */
export function labelledQueues(q: Queues): { label: string; queue: Queue }[] {
  const several = q.partitions.length > 1;
  return [
    ...q.partitions.flatMap((p) =>
      [p.enrichItems, p.updateRollups].map((queue) => ({ label: several ? `${queue.name}:${p.partition}` : queue.name, queue })),
    ),
    ...[q.backfillSearch, q.sweepPending, q.evaluateAlerts, q.deliverNotifications].map((queue) => ({ label: queue.name, queue })),
  ];
}

/** The queue layout a process's settings give (the Redis target says whether it is a cluster). */
export function queueLayoutOf(config: { QUEUE_PREFIX: string; PARTITIONS: number }, redisTarget: string): QueueLayout {
  return { prefix: config.QUEUE_PREFIX, partitions: config.PARTITIONS, cluster: isClusterTarget(redisTarget) };
}
