/**
 * Runs a rewrite of the rollups while no rollup drain can write: it takes every partition's drain
 * lease (waiting for a running drain to finish its batch) and keeps them renewed until the work
 * ends. Migrations of the rollups are exact only this way.
 */
import type { Db } from "mongodb";
import { leasesOf, makeLease, rollupDrainLeaseName } from "./lease";

/** The hold on the drain leases: renewed while the work runs; lost this long after a crash. */
const HOLD_MS = 120_000;
const WAIT_STEP_MS = 1_000;

export interface DrainLeaseOptions {
  partitions: number;
  now?: () => Date;
  /** called while waiting for a drain lease that another process holds */
  onWait?: (lease: string) => void;
}

/** `work` gets `renew`, to call between batches: it throws when a lease was lost. */
export async function holdingDrainLeases<T>(db: Db, opts: DrainLeaseOptions, work: (renew: () => Promise<void>) => Promise<T>): Promise<T> {
  const now = opts.now ?? (() => new Date());
  const leases = Array.from({ length: Math.max(1, opts.partitions) }, (_, p) => {
    const name = rollupDrainLeaseName(p, opts.partitions);
    return { name, lease: makeLease(leasesOf(db), name, HOLD_MS, now) };
  });
  const taken: typeof leases = [];
  try {
    for (const l of leases) {
      while (!(await l.lease.acquire())) {
        opts.onWait?.(l.name);
        await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
      }
      taken.push(l);
    }
    return await work(async () => {
      for (const l of taken) if (!(await l.lease.renewIfDue())) throw new Error(`lost the drain lease ${l.name} while rewriting rollups`);
    });
  } finally {
    for (const l of taken) await l.lease.release();
  }
}
