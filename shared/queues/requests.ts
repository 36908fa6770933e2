import { rollupDrainJob } from "./job-ids";
import type { Queues } from "./producers";

/** Asks for a rollup drain (coalesced: at most one job per second). */
export async function requestRollupDrain(queues: Pick<Queues, "updateRollups">, now: Date, reason: string): Promise<void> {
  const { jobId, delay } = rollupDrainJob(now);
  await queues.updateRollups.add("drain", { reason }, { jobId, delay });
}
