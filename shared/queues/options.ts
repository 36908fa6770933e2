import type { DefaultJobOptions } from "bullmq";

/** Transient failures retry with exponential backoff and jitter; finished jobs are trimmed. */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: "exponential", delay: 1_000, jitter: 0.5 },
  removeOnComplete: { count: 1_000 },
  removeOnFail: { count: 10_000 },
};
