/**
 * A named lease in MongoDB: at most one holder at a time; a holder that stops renewing loses it
 * after `ttlMs`. Acquire and renew are single conditional upserts (a duplicate key means someone
 * else holds it).
 */
import { randomUUID } from "node:crypto";
import type { Collection } from "mongodb";
import { isDuplicateKeyError } from "../errors";

export interface LeaseDoc {
  _id: string;
  holder: string;
  until: Date;
}

export function makeLease(col: Collection<LeaseDoc>, name: string, ttlMs: number, now: () => Date) {
  const holder = randomUUID();
  async function take(): Promise<boolean> {
    const t = now();
    try {
      await col.updateOne(
        { _id: name, $or: [{ holder }, { until: { $lt: t } }] },
        { $set: { holder, until: new Date(t.getTime() + ttlMs) } },
        { upsert: true },
      );
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false; // held by someone else and not expired
      throw err;
    }
  }
  return {
    acquire: take,
    renew: take,
    async release(): Promise<void> {
      await col.deleteOne({ _id: name, holder });
    },
  };
}
