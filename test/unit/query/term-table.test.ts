import { describe, expect, it } from "vitest";
import { hashOf, TermTable } from "../../../shared/domain/query/term-table";

describe("TermTable", () => {
  it("finds what was added, through growth, and nothing else", () => {
    const t = new TermTable();
    const words = Array.from({ length: 5_000 }, (_, i) => `w${i.toString(36)}`);
    words.forEach((w, i) => t.add(w, i));
    expect(t.size).toBe(5_000);
    words.forEach((w, i) => expect(t.get(w, hashOf(w))).toBe(i));
    // equal text from another string object (as terms decoded from BSON are)
    expect(t.get(["w", "1"].join(""), hashOf("w1"))).toBe(1);
    for (const absent of ["", "w", "x1", "w1 ", "W1"]) expect(t.get(absent, hashOf(absent))).toBe(-1);
  });

  it("looks up a prefix of a longer string in place", () => {
    const t = new TermTable();
    t.add("cancel", 0);
    t.add("can", 1);
    const term = "cancellation";
    expect(t.getPrefix(term, 3, hashOf(term, 3))).toBe(1);
    expect(t.getPrefix(term, 6, hashOf(term, 6))).toBe(0);
    expect(t.getPrefix(term, 5, hashOf(term, 5))).toBe(-1);
  });

  it("hashOf(s, n) is the hash of the first n characters", () => {
    expect(hashOf("refunds", 6)).toBe(hashOf("refund"));
    expect(hashOf("")).toBe(0);
  });
});
