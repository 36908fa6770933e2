import { describe, expect, it } from "vitest";
import { makeGroupCommit } from "../../../shared/infra/group-commit";

describe("group commit", () => {
  it("gathers concurrent submissions into one flush and hands each caller its own results", async () => {
    const flushes: number[][] = [];
    const gc = makeGroupCommit<number, number>(
      async (xs) => {
        flushes.push(xs);
        return xs.map((x) => x * 10);
      },
      { windowMs: 5, maxEntries: 100 },
    );
    const [a, b, c] = await Promise.all([gc.submit([1, 2]), gc.submit([3]), gc.submit([4, 5, 6])]);
    expect(flushes).toEqual([[1, 2, 3, 4, 5, 6]]);
    expect([a, b, c]).toEqual([[10, 20], [30], [40, 50, 60]]);
  });

  it("flushes at once when the buffer reaches maxEntries", async () => {
    const flushes: number[][] = [];
    const gc = makeGroupCommit<number, number>(async (xs) => (flushes.push(xs), xs), { windowMs: 10_000, maxEntries: 3 });
    await gc.submit([1, 2, 3]);
    expect(flushes).toEqual([[1, 2, 3]]);
  });

  it("rejects every caller of a failed flush", async () => {
    const gc = makeGroupCommit<number, number>(async () => Promise.reject(new Error("disk on fire")), { windowMs: 1, maxEntries: 10 });
    const results = await Promise.allSettled([gc.submit([1]), gc.submit([2])]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });

  it("drain waits for what is waiting", async () => {
    let flushed = 0;
    const gc = makeGroupCommit<number, number>(async (xs) => ((flushed += xs.length), xs), { windowMs: 60_000, maxEntries: 100 });
    const p = gc.submit([1, 2]);
    await gc.drain();
    expect(flushed).toBe(2);
    await expect(p).resolves.toEqual([1, 2]);
  });

  it("fails only the caller whose entries make a flush fail; the others are flushed on their own", async () => {
    const flushes: number[][] = [];
    const gc = makeGroupCommit<number, number>(
      async (xs) => {
        flushes.push(xs);
        if (xs.includes(-1)) throw new Error("cannot encode entry -1");
        return xs.map((x) => x * 10);
      },
      { windowMs: 5, maxEntries: 100 },
    );
    const results = await Promise.allSettled([gc.submit([1, 2]), gc.submit([3, -1]), gc.submit([4])]);
    expect(results[0]).toEqual({ status: "fulfilled", value: [10, 20] });
    expect(results[1]).toMatchObject({ status: "rejected", reason: { message: "cannot encode entry -1" } });
    expect(results[2]).toEqual({ status: "fulfilled", value: [40] });
    expect(flushes).toEqual([[1, 2, 3, -1, 4], [1, 2], [3, -1], [4]]);
  });

  it("fails everyone at once on a retryable error (an outage), without flushing again", async () => {
    let calls = 0;
    const outage = Object.assign(new Error("database unavailable"), { retryable: true });
    const gc = makeGroupCommit<number, number>(async () => (calls++, Promise.reject(outage)), { windowMs: 5, maxEntries: 10 });
    const results = await Promise.allSettled([gc.submit([1]), gc.submit([2])]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(calls).toBe(1);
  });
});
