import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { QUEUES } from "./names";
import { DEFAULT_JOB_OPTIONS } from "./options";

export interface Queues {
  enrichItems: Queue;
  updateRollups: Queue;
  backfillSearch: Queue;
  sweepPending: Queue;
  evaluateAlerts: Queue;
  deliverNotifications: Queue;
  close(): Promise<void>;
}

/** `onError` gets connection errors (the connection's owner usually logs them already). */
export function makeQueues(connection: Redis, prefix: string, onError: (err: Error) => void = () => {}): Queues {
  const make = (name: string) => {
    const q = new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
    q.on("error", onError);
    return q;
  };
  const queues = {
    enrichItems: make(QUEUES.enrichItems),
    updateRollups: make(QUEUES.updateRollups),
    backfillSearch: make(QUEUES.backfillSearch),
    sweepPending: make(QUEUES.sweepPending),
    evaluateAlerts: make(QUEUES.evaluateAlerts),
    deliverNotifications: make(QUEUES.deliverNotifications),
  };
  return {
    ...queues,
    async close() {
      await Promise.all(Object.values(queues).map((q) => q.close()));
    },
  };
}

/** Every queue, e.g. for metrics and setup loops. */
export function allQueues(q: Queues): Queue[] {
  return [q.enrichItems, q.updateRollups, q.backfillSearch, q.sweepPending, q.evaluateAlerts, q.deliverNotifications];
}
