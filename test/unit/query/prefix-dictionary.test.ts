import { describe, expect, it } from "vitest";
import { PrefixDictionary } from "../../../shared/domain/query/prefix-dictionary";
import { hashOf } from "../../../shared/domain/query/term-table";

describe("PrefixDictionary", () => {
  const make = () => {
    let next = 0;
    return new PrefixDictionary(() => next++);
  };

  it("interns each prefix once", () => {
    const d = make();
    expect([d.idOf("can"), d.idOf("cancel"), d.idOf("can"), d.idOf("ref")]).toEqual([0, 1, 0, 2]);
    expect(d.size).toBe(3);
  });

  it("marks every interned prefix a term starts with, once per stamp", () => {
    const d = make();
    const [can, cancel, ref, cancellations] = [d.idOf("can"), d.idOf("cancel"), d.idOf("ref"), d.idOf("cancellations")];
    const mark = new Int32Array(8);
    const hits: number[] = [];
    d.markPrefixesOf("cancellation", mark, 5, hits);
    d.markPrefixesOf("canceled", mark, 5, hits); // shares "can" and "cancel": not marked twice
    d.markPrefixesOf("ca", mark, 5, hits);
    // the term's own hash comes back, computed on the way
    expect(d.markPrefixesOf("cancellation", mark, 5, [])).toBe(hashOf("cancellation"));
    expect(hits.sort()).toEqual([can, cancel].sort());
    expect(mark[can]).toBe(5);
    expect(mark[ref]).toBe(0);
    expect(mark[cancellations]).toBe(0); // longer than the term
  });

  it("finds prefixes among thousands (the filter never hides one)", () => {
    const d = make();
    const prefixes = Array.from({ length: 3_000 }, (_, i) => `p${i.toString(36).padStart(3, "0")}`);
    const ids = prefixes.map((p) => d.idOf(p));
    const mark = new Int32Array(3_000);
    prefixes.forEach((p, i) => {
      const hits: number[] = [];
      d.markPrefixesOf(`${p}xyz`, mark, i + 1, hits);
      expect(hits).toEqual([ids[i]]);
    });
  });
});
