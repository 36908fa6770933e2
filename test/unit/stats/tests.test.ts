import { describe, expect, it } from "vitest";
import { normalTwoSidedP } from "../../../shared/domain/stats/distributions";
import {
  binomialTwoSidedP, meanSampleOf, npsDifferenceTest, poissonRateTest, twoProportionTest, welchTest,
} from "../../../shared/domain/stats/tests";

describe("twoProportionTest", () => {
  it("matches a hand-computed pooled z-test: 60/100 vs 45/100", () => {
    // pooled p = 105/200 = 0.525; se = √(0.525·0.475·(1/100 + 1/100)) = √0.0049875 = 0.0706222
    // z = 0.15 / 0.0706222 = 2.12398; p = 2·(1 - Φ(2.12398)) = 0.03367
    const r = twoProportionTest(60, 100, 45, 100);
    expect(r.test).toBe("two-proportion-z");
    expect(r.statistic).toBeCloseTo(2.12398, 5);
    expect(r.pValue).toBeCloseTo(0.03367, 5);
    expect(r.significant).toBe(true);
  });

  it.each([
    // x1, n1, x2, n2, z by hand, significant
    [45, 100, 60, 100, -2.12398, true],
    [50, 100, 50, 100, 0, false],
    // p = 50/300; se = √(1/6·5/6·(1/200 + 1/100)) = 0.0456435; z = (0.15 - 0.20)/0.0456435 = -1.09545
    [30, 200, 20, 100, -1.09545, false],
  ])("x1=%d n1=%d x2=%d n2=%d gives z %d", (x1, n1, x2, n2, zByHand, sig) => {
    const r = twoProportionTest(x1, n1, x2, n2);
    expect(r.statistic).toBeCloseTo(zByHand, 5);
    expect(r.pValue).toBeCloseTo(normalTwoSidedP(zByHand), 5);
    expect(r.significant).toBe(sig);
  });

  it.each([
    [0, 0, 5, 10],
    [5, 10, 0, 0],
  ])("is undefined with an empty side (%d/%d vs %d/%d)", (x1, n1, x2, n2) => {
    expect(twoProportionTest(x1, n1, x2, n2)).toEqual({ test: "two-proportion-z", statistic: null, pValue: null, significant: false });
  });

  it("gives z = 0, p = 1 when both sides are all-yes or all-no", () => {
    expect(twoProportionTest(10, 10, 20, 20)).toMatchObject({ statistic: 0, pValue: 1, significant: false });
    expect(twoProportionTest(0, 10, 0, 20)).toMatchObject({ statistic: 0, pValue: 1, significant: false });
  });

  it("rejects impossible counts", () => {
    expect(() => twoProportionTest(11, 10, 1, 10)).toThrow(RangeError);
    expect(() => twoProportionTest(-1, 10, 1, 10)).toThrow(RangeError);
  });
});

describe("poissonRateTest", () => {
  it("is the exact conditional binomial test for small counts: 10 vs 4 in equal periods", () => {
    // Bin(14, 0.5): P(X >= 10) = (C(14,10)+C(14,11)+C(14,12)+C(14,13)+C(14,14))/2^14 = 1471/16384; two-sided doubles it.
    const r = poissonRateTest(10, 1, 4, 1);
    expect(r.pValue).toBeCloseTo((2 * 1471) / 16384, 12);
    expect(r.statistic).toBeCloseTo(3 / Math.sqrt(3.5), 12);
    expect(r.significant).toBe(false);
  });

  it("uses the exposures: 10 in 1 day vs 10 in 4 days", () => {
    // π = 1/5; X ~ Bin(20, 0.2), observed 10; scipy.stats.binomtest(10, 20, 0.2).pvalue = 0.0025948274
    const r = poissonRateTest(10, 1, 10, 4);
    expect(r.pValue).toBeCloseTo(binomialTwoSidedP(10, 20, 0.2), 14);
    expect(r.pValue).toBeCloseTo(0.0025948274, 9);
    expect(r.significant).toBe(true);
  });

  it("matches the exact binomial on a symmetric case: 0 vs 5 (p = 2/32)", () => {
    expect(poissonRateTest(0, 1, 5, 1).pValue).toBeCloseTo(2 / 32, 12);
  });

  it("switches to the normal approximation with continuity correction for large counts", () => {
    const r = poissonRateTest(12_000, 1, 11_500, 1);
    const z = (12_000 - 11_750 - 0.5) / Math.sqrt(23_500 * 0.25);
    expect(r.pValue).toBeCloseTo(normalTwoSidedP(z), 12);
    expect(r.significant).toBe(true);
  });

  it("is undefined with no events or no exposure", () => {
    expect(poissonRateTest(0, 1, 0, 1)).toMatchObject({ statistic: null, pValue: null, significant: false });
    expect(poissonRateTest(3, 0, 1, 1)).toMatchObject({ pValue: null, significant: false });
  });
});

describe("welchTest", () => {
  it("matches a hand computation: {1,2,3} vs {3,4,6,7}", () => {
    // means 2 and 5; variances 1 and 10/3; se² = 1/3 + 10/12 = 7/6; t = -3/√(7/6) = -2.77746
    // df = (7/6)² / ((1/3)²/2 + (5/6)²/3) = 1.36111 / 0.287037 = 4.74194
    const a = meanSampleOf(3, 6, 14);
    const b = meanSampleOf(4, 20, 110);
    expect(a).toEqual({ n: 3, mean: 2, variance: 1 });
    expect(b.variance).toBeCloseTo(10 / 3, 12);
    const r = welchTest(a, b);
    expect(r.test).toBe("welch-t");
    expect(r.statistic).toBeCloseTo(-2.77746, 5);
    expect(r.df).toBeCloseTo(4.74194, 5);
    // scipy 1.17 stats.ttest_ind([1,2,3], [3,4,6,7], equal_var=False).pvalue = 0.04134736635451824
    expect(r.pValue).toBeCloseTo(0.04134736635451824, 10);
    expect(r.significant).toBe(true);
  });

  it("with equal variances and sizes, df = 2(n-1) like Student's", () => {
    const r = welchTest({ n: 10, mean: 5, variance: 4 }, { n: 10, mean: 3, variance: 4 });
    expect(r.df).toBeCloseTo(18, 12);
    expect(r.statistic).toBeCloseTo(2 / Math.sqrt(0.8), 12);
  });

  it.each([
    [{ n: 1, mean: 3, variance: 0 }, { n: 10, mean: 3, variance: 1 }],
    [{ n: 0, mean: 0, variance: 0 }, { n: 10, mean: 3, variance: 1 }],
  ])("is undefined when a side has fewer than 2 values", (a, b) => {
    expect(welchTest(a, b)).toMatchObject({ statistic: null, pValue: null, significant: false });
  });

  it("handles zero spread on both sides", () => {
    expect(welchTest({ n: 3, mean: 4, variance: 0 }, { n: 5, mean: 4, variance: 0 })).toMatchObject({ statistic: 0, pValue: 1 });
    expect(welchTest({ n: 3, mean: 4, variance: 0 }, { n: 5, mean: 5, variance: 0 })).toMatchObject({ pValue: null, significant: false });
  });

  it("meanSampleOf never returns NaN", () => {
    expect(meanSampleOf(0, 0, 0)).toEqual({ n: 0, mean: 0, variance: 0 });
    expect(meanSampleOf(1, 7, 49)).toEqual({ n: 1, mean: 7, variance: 0 });
    expect(meanSampleOf(3, 3e9, 3e18 - 1).variance).toBe(0); // rounding below zero is clamped
  });
});

describe("npsDifferenceTest", () => {
  it("matches a hand computation: 50P/20D of 100 vs 40P/30D of 100", () => {
    // side 1: NPS .30, var .5 + .2 - .09 = .61; side 2: NPS .10, var .4 + .3 - .01 = .69
    // se = √(.61/100 + .69/100) = √.013 = .114018; z = .20/.114018 = 1.75412; p = .07941
    const r = npsDifferenceTest(50, 20, 100, 40, 30, 100);
    expect(r.test).toBe("nps-difference-z");
    expect(r.statistic).toBeCloseTo(1.75412, 5);
    expect(r.pValue).toBeCloseTo(0.07941, 5);
    expect(r.significant).toBe(false);
  });

  it("is significant with four times the responses", () => {
    const r = npsDifferenceTest(200, 80, 400, 160, 120, 400);
    expect(r.statistic).toBeCloseTo(2 * 1.75412, 4);
    expect(r.significant).toBe(true);
  });

  it("is undefined with an empty side and neutral when both are identical without spread", () => {
    expect(npsDifferenceTest(0, 0, 0, 4, 1, 10)).toMatchObject({ statistic: null, pValue: null, significant: false });
    expect(npsDifferenceTest(10, 0, 10, 5, 0, 5)).toMatchObject({ statistic: 0, pValue: 1, significant: false });
  });

  it("rejects promoters + detractors > n", () => {
    expect(() => npsDifferenceTest(6, 5, 10, 1, 1, 10)).toThrow(RangeError);
  });
});
