import { update as mingoUpdate } from "mingo";
import { cloneDeep } from "mingo/util";
import { describe, expect, it } from "vitest";
import { applyUpdate, buildUpsertDocument } from "../../../shared/db/standin/updating";

type Doc = Record<string, unknown>;

/** What mingo's full updater makes of the same update: the reference the fast path must equal. */
function viaMingo(stored: Doc, modifier: Doc): { doc: Doc; modified: boolean } {
  const next = cloneDeep(stored) as Doc;
  const changed = mingoUpdate(next, modifier, undefined, {});
  return { doc: changed.length ? next : stored, modified: changed.length > 0 };
}

const d = (iso: string) => new Date(iso);

describe("stand-in updates: the fast path for $max and $min agrees with mingo", () => {
  const cases: [string, Doc, Doc][] = [
    ["$max raises a smaller number", { _id: 1, n: 2 }, { $max: { n: 5 } }],
    ["$max keeps a larger number", { _id: 1, n: 9 }, { $max: { n: 5 } }],
    ["$max of an equal number modifies nothing", { _id: 1, n: 5 }, { $max: { n: 5 } }],
    ["$max sets a missing field", { _id: 1 }, { $max: { n: 3 } }],
    ["$min lowers a larger number", { _id: 1, n: 9 }, { $min: { n: 5 } }],
    ["$min keeps a smaller number", { _id: 1, n: 1 }, { $min: { n: 5 } }],
    ["$max on dates", { _id: 1, at: d("2026-01-01T00:00:00Z") }, { $max: { at: d("2026-02-01T00:00:00Z") } }],
    ["$min on dates keeps the earlier", { _id: 1, at: d("2026-01-01T00:00:00Z") }, { $min: { at: d("2026-02-01T00:00:00Z") } }],
    ["$max on an embedded path", { _id: 1, c: { n: 1, keep: "x" } }, { $max: { "c.n": 4 } }],
    ["$max with $set and $unset together", { _id: 1, n: 1, s: "a", gone: true }, { $set: { s: "b" }, $max: { n: 2 }, $unset: { gone: "" } }],
  ];
  it.each(cases)("%s", (_name, stored, modifier) => {
    const before = cloneDeep(stored);
    const fast = applyUpdate(stored, modifier);
    const reference = viaMingo(stored, modifier);
    expect(fast.doc).toEqual(reference.doc);
    expect(fast.modified).toBe(reference.modified);
    expect(stored).toEqual(before); // the stored version is never mutated
  });

  it("leaves types it does not compare to mingo (a string against a number), with the same answer", () => {
    const stored = { _id: 1, n: "text" };
    expect(applyUpdate(stored, { $max: { n: 5 } })).toEqual(viaMingo(stored, { $max: { n: 5 } }));
  });

  it("builds an upsert's document with $max counters and $setOnInsert defaults", () => {
    const doc = buildUpsertDocument({ _id: "t1", v: { $lt: 3 } }, { $set: { v: 3, s: "open" }, $max: { replies: 2 }, $setOnInsert: { reopens: 0 } });
    expect(doc).toEqual({ _id: "t1", v: 3, s: "open", replies: 2, reopens: 0 });
  });
});
