/**
 * `idOrderedBatches` (shared/db/id-batches.ts), the walk the migrations use: every matching
 * document once, in `_id` order, in batches of the asked size, even when the caller rewrites
 * documents between batches, and each batch reads only what it returns (no rescans).
 */
import { describe, expect, it } from "vitest";
import { idOrderedBatches } from "../../../shared/db/id-batches";
import { randomName, useStandin } from "./harness";

const h = useStandin();

async function scanned(): Promise<number> {
  const s = await h.client().db("admin").command({ serverStatus: 1 });
  return Number(s.metrics.queryExecutor.scannedObjects);
}

describe("idOrderedBatches", () => {
  it("meets each matching document once, in batches, while the caller rewrites them", async () => {
    const coll = h.freshDb().collection<{ _id: string; todo: boolean; n: number }>(randomName("docs"));
    const ids = Array.from({ length: 23 }, (_, i) => `d${String(i).padStart(3, "0")}`);
    // every third document does not match
    await coll.insertMany(ids.map((id, i) => ({ _id: id, todo: i % 3 !== 0, n: 0 })));
    const matching = ids.filter((_, i) => i % 3 !== 0);

    const seen: string[] = [];
    const sizes: number[] = [];
    const before = await scanned();
    for await (const batch of idOrderedBatches<{ _id: string; n: number }, { _id: string; todo: boolean; n: number }>(coll, { todo: true }, { projection: { _id: 1, n: 1 }, batchSize: 4 })) {
      sizes.push(batch.length);
      seen.push(...batch.map((d) => d._id));
      // Rewriting a document it has met (still matching) must not bring it back.
      await coll.updateMany({ _id: { $in: batch.map((d) => d._id) } }, { $inc: { n: 1 } });
    }
    const read = (await scanned()) - before;

    expect(seen).toEqual(matching);
    expect(sizes).toEqual([4, 4, 4, 3]);
    expect(await coll.countDocuments({ n: { $ne: 0 } })).toBe(matching.length);
    expect(await coll.countDocuments({ n: { $gt: 1 } })).toBe(0);
    // Each batch starts at its `_id`: the walk reads every document about once (plus what the
    // updates read), not once per batch from the start.
    expect(read).toBeLessThanOrEqual(ids.length + 2 * matching.length);
  });
});
