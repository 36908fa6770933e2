/**
 * A named lease in MongoDB: at most one holder at a time; a holder that stops renewing loses it
 * after `ttlMs`. Acquire and renew are single conditional upserts (a duplicate key means someone
 * else holds it).
 */
import { randomUUID } from "node:crypto";
import type { Collection, Db } from "mongodb";
import { isDuplicateKeyError } from "../errors";

export interface LeaseDoc {
  _id: string;
  holder: string;
  until: Date;
}

/** The collection every lease lives in. */
export function leasesOf(db: Db): Collection<LeaseDoc> {
  return db.collection<LeaseDoc>("leases");
}

/**
 * Forgets every lease. Only for a database no live process can hold one in: the embedded store
 * this process has just started (its leases were all taken by earlier runs, stopped or killed).
 */
export async function clearLeases(db: Db): Promise<number> {
  return (await leasesOf(db).deleteMany({})).deletedCount;
}

export function makeLease(col: Collection<LeaseDoc>, name: string, ttlMs: number, now: () => Date) {
  const holder = randomUUID();
  /** when this holder last took or renewed it, on the lease's own clock */
  let takenAt = -Infinity;
  async function take(): Promise<boolean> {
    const t = now();
    try {
      await col.updateOne(
        { _id: name, $or: [{ holder }, { until: { $lt: t } }] },
        { $set: { holder, until: new Date(t.getTime() + ttlMs) } },
        { upsert: true },
      );
      takenAt = t.getTime();
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false; // held by someone else and not expired
      throw err;
    }
  }
  return {
    acquire: take,
    renew: take,
    /**
     * Renews once a sixth of the lease has passed since it was taken or renewed, not on every call
     * (one round trip each): a holder calling it between steps always has most of `ttlMs` left.
     * False when the lease was lost.
     */
    async renewIfDue(): Promise<boolean> {
      return now().getTime() - takenAt < ttlMs / 6 ? true : take();
    },
    async release(): Promise<void> {
      await col.deleteOne({ _id: name, holder });
    },
  };
}

/** The lease that keeps one partition's rollup drains serial (workers/processors/update-rollups.ts). */
export function rollupDrainLeaseName(partition: number, partitions: number): string {
  return partitions <= 1 ? "rollup-drain" : `rollup-drain-p${partition}`;
}
