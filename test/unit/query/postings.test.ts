import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PostingsArena } from "../../../shared/domain/query/postings";

/** The records of one list as the arena stores them: `[header, length, ...code]` each. */
const flatten = (records: { header: number; code: number[] }[]) => records.flatMap((r) => [r.header, r.code.length, ...r.code]);

describe("PostingsArena", () => {
  it("keeps each list's records in order in one block, through growth, moves and removals", () => {
    const a = new PostingsArena();
    a.append(3, 10, [1, 2, 3]);
    a.append(5, 20, []);
    a.append(3, 11, [4]);
    expect(a.records(3)).toEqual([10, 3, 1, 2, 3, 11, 1, 4]);
    expect(a.records(5)).toEqual([20, 0]);
    expect(a.records(4)).toEqual([]);
    expect(a.records(1_000)).toEqual([]);
    expect(a.remove(3, 10)).toBe(true);
    expect(a.remove(3, 10)).toBe(false);
    expect(a.records(3)).toEqual([11, 1, 4]);
    expect(a.data.subarray(a.start(3), a.start(3) + a.length(3))).toEqual(new Int32Array([11, 1, 4]));
  });

  it("agrees with a list-per-id model under random appends and removals (blocks moved and the arena compacted many times)", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("append" as const), id: fc.nat(40), header: fc.nat(30), code: fc.array(fc.nat(1000), { maxLength: 12 }) }),
      fc.record({ kind: fc.constant("remove" as const), id: fc.nat(40), header: fc.nat(30) }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 2000, maxLength: 4000 }), (ops) => {
        const arena = new PostingsArena(64);
        const model = new Map<number, { header: number; code: number[] }[]>();
        for (const o of ops) {
          const list = model.get(o.id) ?? [];
          model.set(o.id, list);
          if (o.kind === "append") {
            arena.append(o.id, o.header, o.code);
            list.push({ header: o.header, code: o.code });
          } else {
            const at = list.findIndex((r) => r.header === o.header);
            expect(arena.remove(o.id, o.header)).toBe(at >= 0);
            if (at >= 0) list.splice(at, 1);
          }
        }
        for (const [id, list] of model) expect(arena.records(id)).toEqual(flatten(list));
      }),
      { numRuns: 30 },
    );
  });
});
