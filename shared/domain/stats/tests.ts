/**
 * Significance tests for "is the current period different from the previous one", one per kind
 * of metric as product.md prescribes. Conventions shared by every test:
 * - side 1 is the current period, side 2 the previous one; a positive `statistic` means side 1
 *   is higher;
 * - two-sided, `significant` is `pValue < 0.05` (95%);
 * - an empty side (n = 0, or n < 2 where a variance is needed) gives `statistic: null,
 *   pValue: null, significant: false`: no evidence either way, never NaN.
 */
import { normalTwoSidedP, studentTTwoSidedP } from "./distributions";
import { logGamma } from "./special";

export const ALPHA = 0.05;

export type TestName = "two-proportion-z" | "poisson-rate" | "welch-t" | "nps-difference-z" | "mann-whitney-u";

export interface TestResult {
  test: TestName;
  /** z or t; null when the test is undefined for these inputs */
  statistic: number | null;
  /** two-sided p-value in [0, 1]; null when the test is undefined */
  pValue: number | null;
  /** pValue < 0.05 */
  significant: boolean;
  /** Welch–Satterthwaite degrees of freedom (Welch only) */
  df?: number;
}

function result(test: TestName, statistic: number | null, pValue: number | null, df?: number): TestResult {
  const r: TestResult = { test, statistic, pValue, significant: pValue !== null && pValue < ALPHA };
  if (df !== undefined) r.df = df;
  return r;
}

const undefinedResult = (test: TestName): TestResult => result(test, null, null);

function assertCount(name: string, v: number): void {
  if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`${name} must be a finite number >= 0, got ${v}`);
}

/**
 * Two-proportion z-test with pooled variance: x1 of n1 versus x2 of n2.
 * z = (p1 - p2) / √(p(1-p)(1/n1 + 1/n2)), p = (x1+x2)/(n1+n2).
 * Edge cases: n1 or n2 = 0 → undefined (null); pooled p of 0 or 1 (both sides all-no or all-yes)
 * → z = 0, p = 1. Throws RangeError when x > n or a count is negative.
 */
export function twoProportionTest(x1: number, n1: number, x2: number, n2: number): TestResult {
  for (const [k, v] of [["x1", x1], ["n1", n1], ["x2", x2], ["n2", n2]] as const) assertCount(k, v);
  if (x1 > n1 || x2 > n2) throw new RangeError("successes cannot exceed trials");
  if (n1 === 0 || n2 === 0) return undefinedResult("two-proportion-z");
  const p = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  if (se === 0) return result("two-proportion-z", 0, 1);
  const z = (x1 / n1 - x2 / n2) / se;
  return result("two-proportion-z", z, normalTwoSidedP(z));
}

/** Above this total count the conditional binomial test uses its normal approximation. */
export const EXACT_BINOMIAL_MAX = 10_000;

/**
 * Comparison of two Poisson rates (counts over exposures, e.g. tickets per equal-length period)
 * by the conditional binomial test: given N = count1 + count2, count1 ~ Binomial(N, e1/(e1+e2))
 * under equal rates (Przyborowski & Wilenski 1940; R `poisson.test` for two samples).
 * Exact two-sided p-value (R `binom.test` rule: sum of outcomes no more likely than the observed)
 * for N <= 10_000, else the normal approximation with continuity correction.
 * `statistic` is the z score (count1 - Nπ)/√(Nπ(1-π)), for both branches.
 * Edge cases: N = 0 or an exposure of 0 → undefined (null). Counts must be integers >= 0.
 */
export function poissonRateTest(count1: number, exposure1: number, count2: number, exposure2: number): TestResult {
  for (const [k, v] of [["count1", count1], ["exposure1", exposure1], ["count2", count2], ["exposure2", exposure2]] as const) {
    assertCount(k, v);
  }
  if (!Number.isInteger(count1) || !Number.isInteger(count2)) throw new RangeError("counts must be integers");
  const n = count1 + count2;
  if (n === 0 || exposure1 === 0 || exposure2 === 0) return undefinedResult("poisson-rate");
  const pi = exposure1 / (exposure1 + exposure2);
  const sd = Math.sqrt(n * pi * (1 - pi));
  const z = (count1 - n * pi) / sd;
  if (n <= EXACT_BINOMIAL_MAX) return result("poisson-rate", z, binomialTwoSidedP(count1, n, pi));
  const cc = Math.max(0, Math.abs(count1 - n * pi) - 0.5);
  return result("poisson-rate", z, normalTwoSidedP(cc / sd));
}

/** Exact two-sided binomial p-value P(X : P(X) <= P(x)) for X ~ Bin(n, p), R's relative tolerance 1e-7. */
export function binomialTwoSidedP(x: number, n: number, p: number): number {
  const lnC = logGamma(n + 1);
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  const logPmf = (k: number) => lnC - logGamma(k + 1) - logGamma(n - k + 1) + k * lp + (n - k) * lq;
  const threshold = logPmf(x) + Math.log1p(1e-7);
  let sum = 0;
  for (let k = 0; k <= n; k++) {
    const l = logPmf(k);
    if (l <= threshold) sum += Math.exp(l);
  }
  return Math.min(1, sum);
}

/** A sample summarised for a t-test: size, mean and unbiased variance (n - 1 denominator). */
export interface MeanSample {
  n: number;
  mean: number;
  variance: number;
}

/**
 * Mean and unbiased variance from a count, a sum and a sum of squares (the rollup measures).
 * Edge cases: n = 0 → mean 0 and variance 0 (never NaN; deciding that such a mean is null is
 * the caller's business); n = 1 → variance 0. Rounding can make sumSq - sum²/n slightly
 * negative: clamped to 0.
 */
export function meanSampleOf(n: number, sum: number, sumSq: number): MeanSample {
  if (n <= 0) return { n: 0, mean: 0, variance: 0 };
  const mean = sum / n;
  const variance = n > 1 ? Math.max(0, (sumSq - (sum * sum) / n) / (n - 1)) : 0;
  return { n, mean, variance };
}

/**
 * Welch's unequal-variance t-test of mean1 versus mean2, with Welch–Satterthwaite degrees of
 * freedom (fractional). t = (m1 - m2)/√(v1/n1 + v2/n2).
 * Edge cases: a side with n < 2 → undefined (null); both variances 0 → t undefined (null) unless
 * the means are equal (t = 0, p = 1): a difference with zero spread has no t distribution, and we
 * prefer "no verdict" over a p-value of 0.
 */
export function welchTest(a: MeanSample, b: MeanSample): TestResult {
  if (a.n < 2 || b.n < 2) return undefinedResult("welch-t");
  const sa = a.variance / a.n;
  const sb = b.variance / b.n;
  const se2 = sa + sb;
  if (!(se2 > 0)) return a.mean === b.mean ? result("welch-t", 0, 1) : undefinedResult("welch-t");
  const t = (a.mean - b.mean) / Math.sqrt(se2);
  const df = (se2 * se2) / ((sa * sa) / (a.n - 1) + (sb * sb) / (b.n - 1));
  return result("welch-t", t, studentTTwoSidedP(t, df), df);
}

/**
 * Difference of two Net Promoter Scores. Each response scores +1 (promoter), 0 (passive) or -1
 * (detractor); NPS/100 is their mean, with per-response variance p_P + p_D - (p_P - p_D)².
 * z = (NPS1 - NPS2)/100 / √(var1/n1 + var2/n2), normal two-sided p-value.
 * Edge cases: n1 or n2 = 0 → undefined (null); both variances 0 → z = 0, p = 1 when the scores are
 * equal, else undefined (null). `statistic` is z; promoters + detractors must not exceed n.
 */
export function npsDifferenceTest(
  promoters1: number, detractors1: number, n1: number,
  promoters2: number, detractors2: number, n2: number,
): TestResult {
  for (const [k, v] of [["promoters1", promoters1], ["detractors1", detractors1], ["n1", n1],
    ["promoters2", promoters2], ["detractors2", detractors2], ["n2", n2]] as const) assertCount(k, v);
  if (promoters1 + detractors1 > n1 || promoters2 + detractors2 > n2) {
    throw new RangeError("promoters + detractors cannot exceed n");
  }
  if (n1 === 0 || n2 === 0) return undefinedResult("nps-difference-z");
  const side = (p: number, d: number, n: number) => {
    const pp = p / n;
    const pd = d / n;
    return { score: pp - pd, varianceOfMean: (pp + pd - (pp - pd) ** 2) / n };
  };
  const s1 = side(promoters1, detractors1, n1);
  const s2 = side(promoters2, detractors2, n2);
  const se2 = s1.varianceOfMean + s2.varianceOfMean;
  if (!(se2 > 0)) return s1.score === s2.score ? result("nps-difference-z", 0, 1) : undefinedResult("nps-difference-z");
  const z = (s1.score - s2.score) / Math.sqrt(se2);
  return result("nps-difference-z", z, normalTwoSidedP(z));
}

/**
 * Mann–Whitney U test (Wilcoxon rank-sum) of sample a versus sample b, two-sided, by the normal
 * approximation with the tie correction and a continuity correction of 0.5 (as R's
 * `wilcox.test(a, b, exact = FALSE, correct = TRUE)`). `statistic` is z; a positive z means a's
 * values tend to be larger. Also gives U for a (`u`: pairs where a's value is larger, ties
 * counting one half) and the rank-biserial correlation 2U/(n_a n_b) − 1 in [−1, 1].
 * Edge cases: an empty side → undefined (null); every value tied → z = 0, p = 1.
 */
export function mannWhitneyTest(a: readonly number[], b: readonly number[]): TestResult & { u: number | null; rankBiserial: number | null } {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return { ...undefinedResult("mann-whitney-u"), u: null, rankBiserial: null };
  const all = [...a.map((v) => ({ v, side: 0 })), ...b.map((v) => ({ v, side: 1 }))].sort((x, y) => x.v - y.v);
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    const t = j - i + 1;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (all[k]!.side === 0) rankSumA += rank;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const rankBiserial = (2 * u) / (n1 * n2) - 1;
  if (!(variance > 0)) return { ...result("mann-whitney-u", 0, 1), u, rankBiserial };
  const d = u - mean;
  const z = (d - Math.sign(d) * Math.min(0.5, Math.abs(d))) / Math.sqrt(variance);
  return { ...result("mann-whitney-u", z, normalTwoSidedP(z)), u, rankBiserial };
}
