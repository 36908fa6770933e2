/**
 * Re-announces work that lost its job: items still `pending` enrichment (their job died with a
 * Redis that was lost, or the enqueue after the write failed), items whose rollups are dirty, and
 * saved searches whose change was stored but not announced (their `announce` outbox field).
 * Runs on a BullMQ job scheduler, so one sweep happens per interval across all processes.
 */
import type { Job } from "bullmq";
import { enrichJobId } from "../../shared/queues/job-ids";
import { requestRollupDrain } from "../../shared/queues/requests";
import { announceSearch } from "../../shared/queues/announce-search";
import { makeSearchesRepo } from "../../shared/db/searches-repo";
import type { PartitionQueues } from "../../shared/queues/producers";
import type { WorkerDeps } from "../deps";

/** Items younger than this are left to their own job. */
export const SWEEP_GRACE_MS = 60_000;
const SWEEP_LIMIT = 20_000;
const JOB_SIZE = 1_000;

export function makeSweepPending(deps: WorkerDeps) {
  const searches = makeSearchesRepo(deps.db, deps.now);

  async function announceSearches(cutoff: Date): Promise<number> {
    const waiting = await searches.unannounced(cutoff, 1_000);
    if (waiting.length === 0) return 0;
    for (const s of waiting) {
      await announceSearch(deps.publisher, deps.queues, deps.config.QUEUE_PREFIX, { workspace: s.workspace, id: s._id }, s.announce!.revision);
      await searches.announced(s._id, s.announce!.revision);
    }
    deps.log.info({ searches: waiting.length }, "announced saved-search changes left unannounced");
    return waiting.length;
  }

  /** Partitions holding items whose rollups are out of date. */
  async function dirtyPartitionsOf(): Promise<PartitionQueues[]> {
    const dirty = { rollupDirty: { $exists: true } };
    if (deps.queues.partitions.length === 1) {
      const any = await deps.cols.items.findOne(dirty, { projection: { _id: 1 } });
      return any ? [deps.queues.partitions[0]!] : [];
    }
    const workspaces = (await deps.cols.items.distinct("workspace", dirty)) as string[];
    return [...new Set(workspaces.map((w) => deps.queues.of(w)))];
  }

  return async function sweepPending(_job: Job): Promise<{ reannounced: number; dirty: boolean; searches: number }> {
    const cutoff = new Date(deps.now().getTime() - SWEEP_GRACE_MS);
    const announcedSearches = await announceSearches(cutoff);
    const stale = await deps.cols.items
      .find({ pending: true, pendingSince: { $lt: cutoff } }, { projection: { _id: 1, workspace: 1, v: 1 } })
      .limit(SWEEP_LIMIT)
      .toArray();
    const byWorkspace = new Map<string, { id: string; v: number }[]>();
    for (const doc of stale) {
      const items = byWorkspace.get(doc.workspace) ?? [];
      items.push({ id: doc._id, v: doc.v as number });
      byWorkspace.set(doc.workspace, items);
    }
    // Each workspace's jobs go to its own partition's queue.
    const jobsByPartition = new Map<PartitionQueues, { name: string; data: { workspace: string; ids: string[] }; opts: { jobId: string } }[]>();
    for (const [workspace, items] of byWorkspace) {
      const partition = deps.queues.of(workspace);
      const jobs = jobsByPartition.get(partition) ?? [];
      for (const part of chunk(items, JOB_SIZE)) {
        jobs.push({ name: "enrich", data: { workspace, ids: part.map((p) => p.id) }, opts: { jobId: enrichJobId(workspace, part) } });
      }
      jobsByPartition.set(partition, jobs);
    }
    for (const [partition, jobs] of jobsByPartition) await partition.enrichItems.addBulk(jobs);
    const dirtyPartitions = await dirtyPartitionsOf();
    for (const partition of dirtyPartitions) await requestRollupDrain(partition, deps.now(), "sweep");
    const dirty = dirtyPartitions.length > 0;
    const jobCount = [...jobsByPartition.values()].reduce((n, jobs) => n + jobs.length, 0);
    if (stale.length) deps.log.info({ items: stale.length, jobs: jobCount }, "re-announced pending items");
    return { reannounced: stale.length, dirty, searches: announcedSearches };
  };
}

function chunk<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
