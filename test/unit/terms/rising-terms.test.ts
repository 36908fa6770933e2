import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  isCandidateTerm,
  jlhScore,
  risingTermsOf,
  smoothedBackgroundShare,
  termDocOf,
  type TermDoc,
} from "../../../shared/domain/terms/index";
import { docOf, enrichmentOfText, nouns, times } from "./corpus";

/** `n` synthetic documents, each its own near-duplicate group, the first `withTerm` containing `term`. */
function synthetic(prefix: string, n: number, term: string, withTerm: number): TermDoc[] {
  return times(n, (i) => ({ dupKey: `${prefix}${i}`, terms: i < withTerm ? [term, "filler"] : ["filler"] }));
}

describe("risingTermsOf on a constructed corpus", () => {
  // current: 15 refund, 10 late delivery, 5 hello, 20 praise; background: 1 refund, 5 hello, 44 praise
  const n = nouns(100);
  const current = [
    ...times(15, (i) => docOf(`Refund for the ${n[i]}!`)),
    ...times(10, (i) => docOf(`Late delivery of my ${n[15 + i]}`)),
    ...times(5, (i) => docOf(`Hello, question about the ${n[25 + i]}`)),
    ...times(20, (i) => docOf(`${n[30 + i]} works great`)),
  ];
  const background = [
    docOf(`Refund for the ${n[50]}!`),
    ...times(5, (i) => docOf(`Hello, question about the ${n[51 + i]}`)),
    ...times(44, (i) => docOf(`${n[56 + i]} works great`)),
  ];

  it("builds 50 distinct documents per period (sanity)", () => {
    expect(new Set(current.map((d) => d.dupKey)).size).toBe(50);
    expect(new Set(background.map((d) => d.dupKey)).size).toBe(50);
  });

  it("ranks refund and late delivery first; hello, flat, does not appear", () => {
    const rising = risingTermsOf(current, background);
    expect(rising[0]?.term).toBe("refund");
    expect(rising.slice(0, 4).map((r) => r.term).sort()).toEqual(["deliveri", "late", "late deliveri", "refund"]);
    expect(rising.map((r) => r.term)).not.toContain("hello");
    expect(rising.map((r) => r.term)).not.toContain("question");
    expect(rising.map((r) => r.term)).not.toContain("great"); // falling
  });

  it("reports counts in both periods, surfaces and significance", () => {
    const rising = risingTermsOf(current, background);
    const refund = rising.find((r) => r.term === "refund")!;
    expect(refund).toMatchObject({
      surface: "refund",
      current: { count: 15, docs: 50, share: 0.3 },
      background: { count: 1, docs: 50, share: 0.02 },
      significant: true,
    });
    const phrase = rising.find((r) => r.term === "late deliveri")!;
    expect(phrase).toMatchObject({ surface: "late delivery", current: { count: 10 }, background: { count: 0 } });
    expect(rising.find((r) => r.term === "deliveri")?.surface).toBe("delivery");
  });

  it("leaves phrases out with includePhrases: false", () => {
    const terms = risingTermsOf(current, background, { includePhrases: false }).map((r) => r.term);
    expect(terms).not.toContain("late deliveri");
    expect(terms.slice(0, 3).sort()).toEqual(["deliveri", "late", "refund"]);
  });

  it("is sorted by score, then term, and respects limit", () => {
    const rising = risingTermsOf(current, background, { limit: 3 });
    expect(rising).toHaveLength(3);
    // late, deliveri and "late deliveri" tie (same counts): the tie breaks on term
    const all = risingTermsOf(current, background);
    const tied = all.filter((r) => r.current.count === 10).map((r) => r.term);
    expect(tied).toEqual(["deliveri", "late", "late deliveri"]);
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.score).toBeGreaterThanOrEqual(all[i]!.score);
  });
});

describe("near-duplicate collapse", () => {
  // 101 copies of one tweet (the original and 100 retweets with their own t.co links) and 10
  // distinct authors asking for a refund, against a background with neither
  const n = nouns(80);
  const tweet = "Acme app is down";
  const current = [
    docOf(tweet),
    ...times(100, (i) => docOf(`RT @newsbot: ${tweet} https://t.co/r${i}`)),
    ...times(10, (i) => docOf(`Refund my ${n[i]}`)),
    ...times(30, (i) => docOf(`${n[10 + i]} works great`)),
  ];
  const background = times(40, (i) => docOf(`${n[40 + i]} works great`));

  it("counts the tweet and its retweets once: 'down' does not rise, 'refund' leads", () => {
    const rising = risingTermsOf(current, background);
    expect(rising[0]).toMatchObject({ term: "refund", current: { count: 10, docs: 41 } });
    expect(rising.map((r) => r.term)).not.toContain("down");
  });

  it("even with minCount 1, the collapsed tweet ranks below the 10 distinct authors", () => {
    const rising = risingTermsOf(current, background, { minCount: 1 });
    const rank = (t: string) => rising.findIndex((r) => r.term === t);
    expect(rank("down")).toBeGreaterThan(rank("refund"));
    expect(rising[rank("down")]!.current.count).toBe(1);
  });

  it("without the collapse (every document its own key) the retweets would win — the collapse matters", () => {
    const uncollapsed = current.map((d, i) => ({ ...d, dupKey: `doc${i}` }));
    const rising = risingTermsOf(uncollapsed, background);
    const rank = (t: string) => rising.findIndex((r) => r.term === t);
    expect(rank("down")).toBeGreaterThanOrEqual(0);
    expect(rank("down")).toBeLessThan(rank("refund"));
    expect(rising[rank("down")]!.current.count).toBe(101);
  });

  it("never reports the retweet marker, handles' URLs or numbers", () => {
    const terms = risingTermsOf(current, background, { minCount: 1, limit: Infinity }).map((r) => r.term);
    expect(terms).not.toContain("rt");
    expect(terms.some((t) => t.startsWith("https://"))).toBe(false);
  });

  it("a group contributes the union of its members' terms, each once", () => {
    const cur: TermDoc[] = [
      { dupKey: "g", terms: ["@united", "thank"] },
      { dupKey: "g", terms: ["@delta", "thank"] },
      ...times(9, (i) => ({ dupKey: `o${i}`, terms: ["other"] })),
    ];
    const rising = risingTermsOf(cur, synthetic("b", 10, "x", 0), { minCount: 1, limit: Infinity });
    const byTerm = new Map(rising.map((r) => [r.term, r.current]));
    expect(byTerm.get("thank")).toEqual({ count: 1, docs: 10, share: 0.1 });
    expect(byTerm.get("@united")?.count).toBe(1);
    expect(byTerm.get("@delta")?.count).toBe(1);
  });
});

describe("JLH score against hand computations", () => {
  it.each([
    // fg = 10/50 = 0.2; bg' = (4+1)/(198+2) = 0.025; (0.2-0.025) × (0.2/0.025) = 0.175 × 8 = 1.4
    [10, 50, 4, 198, 1.4],
    // zero background: bg' = (0+1)/(98+2) = 0.01; (0.2-0.01) × 20 = 3.8
    [6, 30, 0, 98, 3.8],
    // fg = 0.5, bg' = 2/10 = 0.2: 0.3 × 2.5 = 0.75
    [5, 10, 1, 8, 0.75],
  ])("jlhScore(%s/%s vs %s/%s) = %s", (c, n, b, m, expected) => {
    expect(jlhScore(c, n, b, m)).toBeCloseTo(expected, 12);
  });

  it("is 0 when the term does not rise (flat, falling, or only above the smoothed share)", () => {
    expect(jlhScore(5, 50, 5, 50)).toBe(0);
    expect(jlhScore(2, 50, 10, 50)).toBe(0);
    // raw background share 1 = current share 1, although the smoothed share is 11/12
    expect(jlhScore(10, 10, 10, 10)).toBe(0);
    // fg 0.2 > raw bg 0 but <= smoothed 1/3 (tiny background)
    expect(jlhScore(1, 5, 0, 1)).toBe(0);
  });

  it("is 0 when a period is empty", () => {
    expect(jlhScore(0, 0, 0, 10)).toBe(0);
    expect(jlhScore(3, 10, 0, 0)).toBe(0);
  });

  it("smoothing keeps zero background finite and ranks 0 background documents above 1", () => {
    expect(smoothedBackgroundShare(0, 98)).toBeCloseTo(0.01, 15);
    expect(Number.isFinite(jlhScore(6, 30, 0, 98))).toBe(true);
    expect(jlhScore(6, 30, 0, 98)).toBeGreaterThan(jlhScore(6, 30, 1, 98));
  });

  it("risingTermsOf reports the same score and hand-computed counts", () => {
    const [r] = risingTermsOf(synthetic("c", 50, "refund", 10), synthetic("b", 198, "refund", 4));
    expect(r).toMatchObject({
      term: "refund",
      surface: "refund",
      current: { count: 10, docs: 50, share: 0.2 },
      background: { count: 4, docs: 198, share: 4 / 198 },
    });
    expect(r!.score).toBeCloseTo(1.4, 12);
  });

  it("handles a term absent from the background", () => {
    const [r] = risingTermsOf(synthetic("c", 30, "outage", 6), synthetic("b", 98, "outage", 0));
    expect(r).toMatchObject({ term: "outage", background: { count: 0, docs: 98, share: 0 } });
    expect(r!.score).toBeCloseTo(3.8, 12);
  });
});

describe("p-values against a hand-computed two-proportion z-test", () => {
  // z = (p1 - p2) / sqrt(p(1-p)(1/n1 + 1/n2)), p pooled; two-sided p = 2(1 - Φ(|z|)).
  // Reference values from scipy.stats.norm.sf.
  it.each([
    // p = 45/200 = 0.225, se = sqrt(0.225·0.775·0.02) = 0.0590551, z = 0.15/0.0590551 = 2.540003
    [30, 100, 15, 100, 0.011085166380602711, true],
    [10, 50, 4, 198, 8.559135113544278e-7, true],
    [6, 30, 0, 98, 5.7672452031489865e-6, true],
    // z = 0.04/0.06 = 0.6667: rising but not significant
    [6, 50, 4, 50, 0.5049850750938459, false],
    [3, 10, 1, 10, 0.2635524772829728, false],
  ])("%s/%s vs %s/%s: p = %s", (c, n, b, m, p, significant) => {
    const [r] = risingTermsOf(synthetic("c", n, "term", c), synthetic("b", m, "term", b), { minCount: 1 });
    expect(r?.term).toBe("term");
    expect(r!.pValue).toBeCloseTo(p, 10);
    expect(r!.pValue / p).toBeCloseTo(1, 8);
    expect(r!.significant).toBe(significant);
  });
});

describe("edge cases", () => {
  const some = synthetic("c", 10, "refund", 5);

  it.each([
    ["both empty", [], []],
    ["current empty", [], some],
    ["background empty: nothing to rise against", some, []],
  ] as const)("%s gives []", (_why, cur, bg) => {
    expect(risingTermsOf(cur, bg)).toEqual([]);
  });

  it("gives [] for limit 0 and when no term reaches minCount", () => {
    expect(risingTermsOf(some, synthetic("b", 10, "refund", 0), { limit: 0 })).toEqual([]);
    expect(risingTermsOf(some, synthetic("b", 10, "refund", 0), { minCount: 6 })).toEqual([]);
  });

  it("applies minCount to collapsed current documents (default 3)", () => {
    const cur = [...times(2, (i) => ({ dupKey: `k${i}`, terms: ["rare"] })), ...synthetic("c", 8, "x", 0)];
    expect(risingTermsOf(cur, synthetic("b", 10, "x", 0))).toEqual([]);
    expect(risingTermsOf(cur, synthetic("b", 10, "x", 0), { minCount: 2 }).map((r) => r.term)).toEqual(["rare"]);
  });

  it("rejects a bad limit or minCount", () => {
    expect(() => risingTermsOf(some, some, { limit: -1 })).toThrow(RangeError);
    expect(() => risingTermsOf(some, some, { limit: 1.5 })).toThrow(RangeError);
    expect(() => risingTermsOf(some, some, { minCount: Number.NaN })).toThrow(RangeError);
  });

  it("skips URLs, numbers, emoji, one-letter words and 'rt' but keeps handles and hashtags", () => {
    const noisy = ["https://t.co/a", "123", "😡", "x", "rt", "@acme", "#fail", "outage"];
    const cur = times(5, (i) => ({ dupKey: `c${i}`, terms: noisy }));
    const terms = risingTermsOf(cur, synthetic("b", 10, "y", 0)).map((r) => r.term);
    expect(terms.sort()).toEqual(["#fail", "@acme", "outage"]);
  });

  it("is not fooled by terms named like Object.prototype members", () => {
    const cur = times(5, (i) => ({ dupKey: `c${i}`, terms: ["constructor", "__proto__"], surfaces: {} }));
    const rising = risingTermsOf(cur, synthetic("b", 10, "y", 0));
    expect(rising.map((r) => [r.term, r.surface])).toEqual([
      ["__proto__", "__proto__"],
      ["constructor", "constructor"],
    ]);
  });

  it("picks the surface most current documents give, ties to the smallest", () => {
    const cur: TermDoc[] = [
      { dupKey: "a", terms: ["refund"], surfaces: { refund: "refunds" } },
      { dupKey: "b", terms: ["refund"], surfaces: { refund: "refunded" } },
      { dupKey: "c", terms: ["refund"], surfaces: { refund: "refunds" } },
      { dupKey: "d", terms: ["deliveri"], surfaces: { deliveri: "delivery" } },
      { dupKey: "e", terms: ["deliveri"], surfaces: { deliveri: "deliveries" } },
      { dupKey: "f", terms: ["deliveri"] },
    ];
    const bg = synthetic("b", 10, "y", 0);
    const rising = risingTermsOf(cur, bg);
    expect(Object.fromEntries(rising.map((r) => [r.term, r.surface]))).toEqual({ refund: "refunds", deliveri: "deliveries" });
  });
});

describe("determinism (property)", () => {
  const vocab = ["refund", "late", "deliveri", "hello", "app", "down", "@acme", "#fail", "rt", "123"];
  const doc = fc.record({
    dupKey: fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h"),
    terms: fc.uniqueArray(fc.constantFrom(...vocab), { maxLength: 5 }),
    phrases: fc.uniqueArray(fc.constantFrom({ term: "late deliveri", surface: "late delivery" }, { term: "app down", surface: "app down" }), {
      selector: (p) => p.term,
      maxLength: 2,
    }),
  });
  const docs = fc.array(doc, { maxLength: 30 });
  /** distinct dupKeys among the documents containing `term`, the slow obvious way */
  const naiveCount = (ds: readonly TermDoc[], term: string): number =>
    new Set(ds.filter((d) => d.terms.includes(term) || (d.phrases ?? []).some((p) => p.term === term)).map((d) => d.dupKey)).size;
  const opts = fc.record({ minCount: fc.integer({ min: 0, max: 4 }), limit: fc.integer({ min: 0, max: 30 }) });

  it("gives the same result for the same input and for any order of the documents", () => {
    fc.assert(
      fc.property(docs, docs, opts, (cur, bg, o) => {
        const a = risingTermsOf(cur, bg, o);
        expect(risingTermsOf(cur, bg, o)).toEqual(a);
        expect(risingTermsOf([...cur].reverse(), [...bg].reverse(), o)).toEqual(a);
      }),
    );
  });

  it("only returns rising terms with consistent counts, sorted, within limit", () => {
    fc.assert(
      fc.property(docs, docs, opts, (cur, bg, o) => {
        const r = risingTermsOf(cur, bg, o);
        expect(r.length).toBeLessThanOrEqual(o.limit);
        for (const t of r) {
          expect(t.current.count).toBeGreaterThanOrEqual(Math.max(1, o.minCount));
          expect(t.current.count).toBeLessThanOrEqual(t.current.docs);
          expect(t.background.count).toBeLessThanOrEqual(t.background.docs);
          expect(t.current.docs).toBe(new Set(cur.map((d) => d.dupKey)).size);
          expect(t.current.count).toBe(naiveCount(cur, t.term));
          expect(t.background.count).toBe(naiveCount(bg, t.term));
          expect(t.current.share).toBeGreaterThan(t.background.share);
          expect(t.score).toBeGreaterThan(0);
          expect(t.pValue).toBeGreaterThanOrEqual(0);
          expect(t.pValue).toBeLessThanOrEqual(1);
          expect(t.significant).toBe(t.pValue < 0.05);
          expect(["rt", "123"]).not.toContain(t.term);
        }
        for (let i = 1; i < r.length; i++) {
          const [p, q] = [r[i - 1]!, r[i]!];
          expect(p.score > q.score || (p.score === q.score && p.term < q.term)).toBe(true);
        }
      }),
    );
  });
});

describe("termDocOf", () => {
  it("takes terms, phrase keywords and single-term surfaces from the enrichment", () => {
    const text = "RT @acme: Late deliveries again https://t.co/x";
    const doc = termDocOf({ kind: "mention", text, enrichment: enrichmentOfText(text) });
    expect(doc.dupKey).toMatch(/^mention:[0-9a-f]{16}$/);
    expect(doc.terms).toEqual(expect.arrayContaining(["late", "deliveri", "@acme", "rt"]));
    expect(doc.phrases).toContainEqual({ term: "late deliveri", surface: "late deliveries" });
    expect(doc.surfaces?.["deliveri"]).toBe("deliveries");
    expect(doc.phrases?.every((p) => p.term.includes(" "))).toBe(true);
  });

  it.each([
    ["refund", true],
    ["@acme", true],
    ["#fail", true],
    ["退款", true],
    ["退", true],
    ["rt", false],
    ["x", false],
    ["123", false],
    ["12:30", false],
    ["😡", false],
    ["https://t.co/a", false],
    ["www.acme.com", false],
  ])("isCandidateTerm(%s) = %s", (term, expected) => {
    expect(isCandidateTerm(term)).toBe(expected);
  });
});
