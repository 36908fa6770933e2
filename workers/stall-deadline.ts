/**
 * A job that stops making progress fails instead of holding its queue forever. BullMQ renews a
 * job's lock for as long as its processor runs, so a processor stuck on a call that never returns
 * would keep its slot — and a serial queue (a partition's rollup drain) would stop for good. Here
 * the job fails once it has gone `stallMs` without finishing or reporting progress
 * (`job.updateProgress`, which the long processors call per batch); BullMQ then retries it as
 * for any failure, and the work converges because every processor is idempotent. The stuck call
 * itself cannot be cancelled: a drain that wakes up later finds its lease taken and stops.
 */
import type { Job, Processor } from "bullmq";

export class JobStalledError extends Error {
  constructor(stallMs: number) {
    super(`no progress for ${stallMs} ms: failed so that the queue moves on (JOB_STALL_MS)`);
    this.name = "JobStalledError";
  }
}

export function withStallDeadline(processor: Processor, stallMs: number): Processor {
  return (job, token) => {
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => reject(new JobStalledError(stallMs)), stallMs);
      };
      arm();
      const report = job.updateProgress.bind(job);
      // Every progress report re-arms the deadline (the job object is this run's own).
      (job as Job).updateProgress = (progress) => {
        arm();
        return report(progress);
      };
    });
    return Promise.race([Promise.resolve().then(() => processor(job, token)), stalled]).finally(() => clearTimeout(timer));
  };
}
