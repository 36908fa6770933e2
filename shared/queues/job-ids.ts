import { createHash } from "node:crypto";

/**
 * BullMQ job ids must not contain ":" and must not be all digits. Ids built from the content make
 * a redelivered request enqueue the same job (BullMQ ignores an id it already holds).
 */
export function enrichJobId(workspace: string, ids: readonly string[]): string {
  const h = createHash("sha256");
  h.update(workspace);
  for (const id of ids) h.update("\0").update(id);
  return `enrich-${h.digest("base64url").slice(0, 32)}`;
}

export function backfillJobId(searchId: string, revision: number): string {
  return `backfill-${searchId}-r${revision}`;
}

/**
 * Rollup drains run one at a time and loop until nothing is dirty. One id per second keeps the
 * queue short while never dropping a request made just as a drain finishes.
 */
export function rollupDrainJobId(now: Date): string {
  return `rollups-${Math.floor(now.getTime() / 1000)}`;
}
