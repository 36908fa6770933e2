/**
 * A bound on how long a caller waits for work it cannot cancel. The MongoDB driver can leave an
 * operation waiting forever when its connection closes between check-out and write (seen when the
 * server goes away under traffic), and an HTTP request must not hang with it. The work itself is
 * not stopped: it may still finish after the caller was told to retry, so it must be idempotent.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, onExpiry: () => Error): Promise<T> {
  if (ms <= 0) return work;
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onExpiry()), ms);
    timer.unref();
  });
  return Promise.race([work, expiry]).finally(() => clearTimeout(timer));
}
