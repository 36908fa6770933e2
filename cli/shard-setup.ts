/**
 * `npm run cli -- shard-setup`: shards the large collections on a sharded cluster (MONGO_URL must
 * point at a mongos), as `shared/db/shard-keys.ts` lays them out. Safe to run again: a collection
 * already sharded on the same key is reported and left alone.
 */
import type { Document } from "mongodb";
import { SHARDED_COLLECTIONS } from "../shared/db/shard-keys";

/** What the command needs from MongoDB: admin commands, and index creation on the database. */
export interface ShardAdmin {
  adminCommand(cmd: Document): Promise<Document>;
  createIndex(collection: string, key: Record<string, 1 | "hashed">): Promise<unknown>;
}

export async function shardSetup(admin: ShardAdmin, dbName: string, log: (line: string) => void): Promise<{ sharded: string[] }> {
  const hello = await admin.adminCommand({ hello: 1 });
  if (hello.msg !== "isdbgrid") {
    throw new Error("MONGO_URL does not point at a mongos (a sharded cluster's router); shard-setup only runs there");
  }
  await admin.adminCommand({ enableSharding: dbName });
  const sharded: string[] = [];
  for (const { collection, key, why } of SHARDED_COLLECTIONS) {
    // A collection with documents needs its shard key's index first; on an empty one this is harmless.
    await admin.createIndex(collection, key);
    await admin.adminCommand({ shardCollection: `${dbName}.${collection}`, key });
    sharded.push(collection);
    log(`${dbName}.${collection} sharded on ${JSON.stringify(key)} (${why})`);
  }
  return { sharded };
}
