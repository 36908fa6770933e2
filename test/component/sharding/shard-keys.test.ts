/**
 * The sharding layout holds up: the sharded collections carry no unique index besides `_id` (a
 * sharded collection can only enforce uniqueness of its shard key, here the hashed `_id`), every
 * collection the app creates is either sharded or listed as unsharded with a reason, and
 * `shard-setup` issues enableSharding and one shardCollection per sharded collection — only
 * against a mongos.
 */
import type { Document } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shardSetup } from "../../../cli/shard-setup";
import { SHARDED_COLLECTIONS, UNSHARDED_COLLECTIONS } from "../../../shared/db/shard-keys";
import { openTestMongo, testConfig, type TestMongo } from "../../support/stores";

let mongo: TestMongo;
beforeAll(async () => {
  mongo = await openTestMongo(testConfig());
});
afterAll(async () => mongo?.close());

describe("shard keys", () => {
  it("no sharded collection has a unique index other than its shard key", async () => {
    for (const { collection, key } of SHARDED_COLLECTIONS) {
      expect(Object.keys(key)).toEqual(["_id"]);
      const indexes = await mongo.db.collection(collection).listIndexes().toArray().catch(() => []);
      const unique = indexes.filter((ix) => ix.unique && JSON.stringify(ix.key) !== JSON.stringify({ _id: 1 }));
      expect(unique, collection).toEqual([]);
    }
  });

  it("places every collection the app indexes", async () => {
    const names = (await mongo.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    const placed = new Set([...SHARDED_COLLECTIONS.map((c) => c.collection), ...Object.keys(UNSHARDED_COLLECTIONS)]);
    expect(names.length).toBeGreaterThan(3);
    for (const n of names) expect(placed.has(n), n).toBe(true);
  });
});

describe("shard-setup", () => {
  function fakeMongo(hello: Document) {
    const commands: Document[] = [];
    const indexes: [string, unknown][] = [];
    return {
      commands,
      indexes,
      admin: {
        adminCommand: async (cmd: Document) => {
          commands.push(cmd);
          return cmd.hello ? hello : { ok: 1 };
        },
        createIndex: async (collection: string, key: unknown) => void indexes.push([collection, key]),
      },
    };
  }

  it("shards the large collections on a hashed _id through a mongos", async () => {
    const m = fakeMongo({ msg: "isdbgrid" });
    const lines: string[] = [];
    const { sharded } = await shardSetup(m.admin, "uc", (l) => lines.push(l));
    expect(sharded).toEqual(["items", "rollups", "term_stats"]);
    expect(m.commands.slice(1)).toEqual([
      { enableSharding: "uc" },
      { shardCollection: "uc.items", key: { _id: "hashed" } },
      { shardCollection: "uc.rollups", key: { _id: "hashed" } },
      { shardCollection: "uc.term_stats", key: { _id: "hashed" } },
    ]);
    expect(m.indexes).toEqual(sharded.map((c) => [c, { _id: "hashed" }]));
    expect(lines).toHaveLength(3);
  });

  it("refuses a server that is not a mongos, before changing anything", async () => {
    const m = fakeMongo({ isWritablePrimary: true });
    await expect(shardSetup(m.admin, "uc", () => {})).rejects.toThrow(/not point at a mongos/);
    expect(m.commands).toEqual([{ hello: 1 }]);
    expect(m.indexes).toEqual([]);
  });
});
