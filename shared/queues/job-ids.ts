import { createHash } from "node:crypto";

/**
 * BullMQ job ids must not contain ":" and must not be all digits. Ids built from the content make
 * a redelivered request enqueue the same job (BullMQ ignores an id it already holds).
 */
export function enrichJobId(workspace: string, items: readonly { id: string; v: number }[]): string {
  const h = createHash("sha256");
  h.update(workspace);
  // The version is part of the id: a newer version of the same items must be announced again.
  for (const it of items) h.update("\0").update(it.id).update("@").update(String(it.v));
  return `enrich-${h.digest("base64url").slice(0, 32)}`;
}

export function backfillJobId(searchId: string, revision: number): string {
  return `backfill-${searchId}-r${revision}`;
}

/**
 * Rollup drains run one at a time and loop until nothing is dirty. One job per second keeps the
 * queue short.
 */
export function rollupDrainJob(now: Date): { jobId: string; delay: number } {
  // The drain for the *next* second, starting then: it begins after every write that asked for
  // it, so a request arriving as a drain finishes its last empty scan is never dropped.
  const next = Math.floor(now.getTime() / 1000) + 1;
  return { jobId: `rollups-${next}`, delay: next * 1000 - now.getTime() };
}
