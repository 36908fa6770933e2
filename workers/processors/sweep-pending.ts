/**
 * Re-announces work that lost its job: items still `pending` enrichment (their job died with a
 * Redis that was lost, or the enqueue after the write failed) and items whose rollups are dirty.
 * Runs on a BullMQ job scheduler, so one sweep happens per interval across all processes.
 */
import type { Job } from "bullmq";
import { enrichJobId } from "../../shared/queues/job-ids";
import { requestRollupDrain } from "../../shared/queues/requests";
import type { WorkerDeps } from "../deps";

/** Items younger than this are left to their own job. */
export const SWEEP_GRACE_MS = 60_000;
const SWEEP_LIMIT = 20_000;
const JOB_SIZE = 1_000;

export function makeSweepPending(deps: WorkerDeps) {
  return async function sweepPending(_job: Job): Promise<{ reannounced: number; dirty: boolean }> {
    const cutoff = new Date(deps.now().getTime() - SWEEP_GRACE_MS);
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
    const jobs = [...byWorkspace].flatMap(([workspace, items]) =>
      chunk(items, JOB_SIZE).map((part) => ({
        name: "enrich",
        data: { workspace, ids: part.map((p) => p.id) },
        opts: { jobId: enrichJobId(workspace, part) },
      })),
    );
    if (jobs.length) await deps.queues.enrichItems.addBulk(jobs);
    const dirty = (await deps.cols.items.findOne({ rollupDirty: { $exists: true } }, { projection: { _id: 1 } })) !== null;
    if (dirty) await requestRollupDrain(deps.queues, deps.now(), "sweep");
    if (stale.length) deps.log.info({ items: stale.length, jobs: jobs.length }, "re-announced pending items");
    return { reannounced: stale.length, dirty };
  };
}

function chunk<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
