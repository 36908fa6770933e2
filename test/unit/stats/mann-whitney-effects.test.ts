/** Mann–Whitney U and the effect sizes against published values and brute-force counts. */
import { describe, expect, it } from "vitest";
import { cohensD, cohensH, mannWhitneyTest } from "../../../shared/domain/stats";

describe("mannWhitneyTest", () => {
  it("matches R's wilcox.test(1:5, 6:10, exact = FALSE): W = 0, p = 0.01219", () => {
    const r = mannWhitneyTest([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(r.u).toBe(0);
    expect(r.rankBiserial).toBe(-1);
    expect(r.pValue).toBeCloseTo(0.01219, 5);
    expect(r.statistic!).toBeLessThan(0);
  });

  it("counts U as pairs where a is larger, ties one half", () => {
    const a = [1, 2, 2, 3, 7];
    const b = [2, 3, 4, 4, 5, 6];
    let u = 0;
    for (const x of a) for (const y of b) u += x > y ? 1 : x === y ? 0.5 : 0;
    expect(mannWhitneyTest(a, b).u).toBe(u);
  });

  it("gives no verdict without data and p = 1 when everything is tied", () => {
    expect(mannWhitneyTest([], [1, 2])).toMatchObject({ pValue: null, significant: false });
    expect(mannWhitneyTest([3, 3], [3, 3, 3])).toMatchObject({ statistic: 0, pValue: 1 });
  });
});

describe("effect sizes", () => {
  it("Cohen's h and d", () => {
    expect(cohensH(0.5, 0.5)).toBe(0);
    expect(cohensH(1, 0)).toBeCloseTo(Math.PI, 12);
    // means 2 and 4, both with variance 1 (n − 1): d = −2
    expect(cohensD([1, 2, 3], [3, 4, 5])).toBeCloseTo(-2, 12);
    expect(cohensD([1], [2, 3])).toBeNull();
  });
});
