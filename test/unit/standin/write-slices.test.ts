import { describe, expect, it } from "vitest";
import { mergeReplies, sliceWrite, stopsAfter } from "../../../shared/db/standin/write-slices";

describe("write slices", () => {
  it("slices only write commands longer than the slice, keeping the other fields", () => {
    const updates = Array.from({ length: 5 }, (_, i) => ({ q: { _id: i }, u: { $inc: { n: 1 } } }));
    expect(sliceWrite({ update: "c", updates, ordered: false, $db: "d" }, 5)).toBeNull();
    expect(sliceWrite({ find: "c", filter: {}, $db: "d" }, 1)).toBeNull();
    const s = sliceWrite({ update: "c", updates, ordered: false, $db: "d" }, 2)!;
    expect(s.offsets).toEqual([0, 2, 4]);
    expect(s.ordered).toBe(false);
    expect(s.slices.map((b) => (b.updates as unknown[]).length)).toEqual([2, 2, 1]);
    expect(s.slices[1]).toMatchObject({ update: "c", ordered: false, $db: "d", updates: [updates[2], updates[3]] });
  });

  it("an ordered write stops at a write error; any write stops at a command error", () => {
    const werr = { n: 1, writeErrors: [{ index: 1, code: 11000 }], ok: 1 };
    expect(stopsAfter(werr, true)).toBe(true);
    expect(stopsAfter(werr, false)).toBe(false);
    expect(stopsAfter({ ok: 0, code: 2, errmsg: "bad" }, false)).toBe(true);
  });

  it("merges counts and shifts indexes; a later command error is the answer", () => {
    const merged = mergeReplies(
      [
        { n: 2, nModified: 1, upserted: [{ index: 1, _id: "a" }], ok: 1 },
        { n: 1, nModified: 0, upserted: [{ index: 0, _id: "b" }], writeErrors: [{ index: 1, code: 11000, errmsg: "dup" }], ok: 1 },
      ],
      [0, 2],
    );
    expect(merged).toEqual({ n: 3, nModified: 1, upserted: [{ index: 1, _id: "a" }, { index: 2, _id: "b" }], writeErrors: [{ index: 3, code: 11000, errmsg: "dup" }], ok: 1 });
    const failed = { ok: 0, code: 26, errmsg: "ns does not exist" };
    expect(mergeReplies([{ n: 2, ok: 1 }, failed], [0, 2])).toBe(failed);
  });
});
