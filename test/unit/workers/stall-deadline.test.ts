/**
 * A job that stops making progress fails after JOB_STALL_MS instead of holding its queue; one
 * that reports progress in time, or finishes, is left alone.
 */
import type { Job, Processor } from "bullmq";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { JobStalledError, withStallDeadline } from "../../../workers/stall-deadline";

function fakeJob(): Job & { reported: unknown[] } {
  const reported: unknown[] = [];
  return { id: "1", reported, updateProgress: async (p: unknown) => void reported.push(p) } as unknown as Job & { reported: unknown[] };
}

describe("withStallDeadline", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("fails a job stuck on a call that never returns, once the deadline passes", async () => {
    const stuck: Processor = () => new Promise(() => {});
    const run = withStallDeadline(stuck, 1_000)(fakeJob(), "token");
    const outcome = run.then(() => "finished", (err: unknown) => err);
    await vi.advanceTimersByTimeAsync(999);
    expect(await Promise.race([outcome, Promise.resolve("pending")])).toBe("pending");
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toBeInstanceOf(JobStalledError);
  });

  it("lets a long job run while it reports progress, and counts the deadline from the last report", async () => {
    const job = fakeJob();
    const slow: Processor = async (j) => {
      for (let batch = 1; batch <= 5; batch++) {
        await new Promise((r) => setTimeout(r, 800));
        await j.updateProgress(batch);
      }
      return "drained";
    };
    const outcome = withStallDeadline(slow, 1_000)(job, "token").then((v) => v, (err: unknown) => err);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(await outcome).toBe("drained");
    expect(job.reported).toEqual([1, 2, 3, 4, 5]);

    // the same job, stuck after its second batch: fails 1 s after that report
    const stuckLater: Processor = async (j) => {
      for (let batch = 1; batch <= 2; batch++) {
        await new Promise((r) => setTimeout(r, 800));
        await j.updateProgress(batch);
      }
      await new Promise(() => {});
    };
    const second = withStallDeadline(stuckLater, 1_000)(fakeJob(), "token").then(() => "finished", (err: unknown) => err);
    await vi.advanceTimersByTimeAsync(2_599);
    expect(await Promise.race([second, Promise.resolve("pending")])).toBe("pending");
    await vi.advanceTimersByTimeAsync(1);
    expect(await second).toBeInstanceOf(JobStalledError);
  });

  it("passes the processor's own result and error through", async () => {
    await expect(withStallDeadline(async () => 42, 1_000)(fakeJob(), "t")).resolves.toBe(42);
    await expect(withStallDeadline(async () => { throw new Error("boom"); }, 1_000)(fakeJob(), "t")).rejects.toThrow("boom");
  });
});
