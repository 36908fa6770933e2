/**
 * What an API process knows about its own enqueues. An item is written before its job is added,
 * so a failed add loses nothing (the sweeper re-announces items left pending), but it must not go
 * unnoticed: /readyz fails while the latest enqueue failed and nothing succeeded since (for at most
 * `holdMs`, so an instance taken out of rotation recovers without traffic; /readyz also probes
 * the queues itself), and /metrics counts every failure.
 */
export interface EnqueueHealth {
  succeeded(): void;
  failed(err: Error, items: number): void;
  /** the unrecovered failure, when the latest enqueue failed less than `holdMs` ago */
  failing(): { error: string; at: Date; items: number } | undefined;
  /** enqueue calls that failed, and the items they carried, since start */
  totals(): { failures: number; items: number };
}

export function makeEnqueueHealth(now: () => Date = () => new Date(), holdMs = 60_000): EnqueueHealth {
  let last: { error: string; at: Date; items: number } | undefined;
  let failures = 0;
  let items = 0;
  return {
    succeeded() {
      last = undefined;
    },
    failed(err, count) {
      failures += 1;
      items += count;
      last = { error: err.message, at: now(), items: count };
    },
    failing() {
      if (last && now().getTime() - last.at.getTime() < holdMs) return last;
      return undefined;
    },
    totals: () => ({ failures, items }),
  };
}
