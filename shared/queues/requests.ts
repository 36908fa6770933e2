import { rollupDrainJob } from "./job-ids";
import type { PartitionQueues } from "./producers";

/** Asks for a rollup drain of one partition (coalesced: at most one job per second per partition). */
export async function requestRollupDrain(partition: Pick<PartitionQueues, "updateRollups">, now: Date, reason: string): Promise<void> {
  const { jobId, delay } = rollupDrainJob(now);
  await partition.updateRollups.add("drain", { reason }, { jobId, delay });
}
