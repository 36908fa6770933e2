/**
 * Group commit: concurrent callers' entries are gathered for up to `windowMs` (or until
 * `maxEntries`) and handed to `flush` in one call; each caller gets back its own slice of the
 * results. This turns many single-item requests into few database round trips while every
 * request still waits until its items are durable.
 *
 * One caller's bad input must not fail the others gathered with it: when a flush fails with an
 * error that is not marked `retryable` (a transient outage fails everyone alike, and rightly), each
 * caller's entries are flushed again on their own, so only the caller that caused it gets the
 * error. Flushes must be idempotent for this (ours are: upserts and versioned writes).
 */
export interface GroupCommit<E, R> {
  submit(entries: readonly E[]): Promise<R[]>;
  /** flushes what is waiting and resolves when every flush in flight has finished */
  drain(): Promise<void>;
}

interface Waiter<R> {
  count: number;
  resolve(results: R[]): void;
  reject(err: unknown): void;
}

export function makeGroupCommit<E, R>(
  flush: (entries: E[]) => Promise<R[]>,
  opts: { windowMs: number; maxEntries: number },
): GroupCommit<E, R> {
  let buffer: E[] = [];
  let waiters: Waiter<R>[] = [];
  let timer: NodeJS.Timeout | null = null;
  const inFlight = new Set<Promise<void>>();

  function flushNow(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (buffer.length === 0) return;
    const entries = buffer;
    const batchWaiters = waiters;
    buffer = [];
    waiters = [];
    const p = flush(entries).then(
      (results) => {
        let offset = 0;
        for (const w of batchWaiters) {
          w.resolve(results.slice(offset, offset + w.count));
          offset += w.count;
        }
      },
      async (err) => {
        if (batchWaiters.length === 1 || isRetryable(err)) return batchWaiters.forEach((w) => w.reject(err));
        let offset = 0;
        const alone = batchWaiters.map((w) => {
          const own = entries.slice(offset, (offset += w.count));
          return flush(own).then(w.resolve, w.reject);
        });
        await Promise.all(alone);
      },
    );
    const tracked = p.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }

  return {
    submit(entries) {
      if (entries.length === 0) return Promise.resolve([]);
      return new Promise<R[]>((resolve, reject) => {
        buffer.push(...entries);
        waiters.push({ count: entries.length, resolve, reject });
        if (buffer.length >= opts.maxEntries || opts.windowMs === 0) flushNow();
        else if (!timer) timer = setTimeout(flushNow, opts.windowMs);
      });
    },
    async drain() {
      flushNow();
      await Promise.all([...inFlight]);
    },
  };
}

function isRetryable(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { retryable?: unknown }).retryable === true;
}
