/**
 * From summed measures to what a trend answer shows: a point's value, n and parts, and the change
 * against the previous period with its significance test.
 */
import { meanSampleOf, npsDifferenceTest, poissonRateTest, twoProportionTest, welchTest, type TestName, type TestResult } from "../stats/tests";
import { quantilesOf } from "../stats/sketch";
import { SENTIMENT_FIXED_POINT } from "./contributions-of";
import type { Measures } from "./contribution";
import { METRICS, type MetricName } from "./registry";
import { SURVEY_FIXED_POINT } from "./survey-scores";

export interface Point {
  /** in the metric's unit; null when n = 0 (never NaN) */
  value: number | null;
  /** sample size the value is computed from */
  n: number;
  /** the numbers behind the value; means and quantiles are null when their n is 0 */
  parts: Record<string, number | null>;
}

const get = (m: Measures, k: string): number => m[k] ?? 0;
const pct = (x: number, n: number): number | null => (n > 0 ? (100 * x) / n : null);
const mean = (sum: number, n: number, fixedPoint = 1): number | null => (n > 0 ? sum / n / fixedPoint : null);

/**
 * The point of `metric` for summed measures (one bucket, or a whole range).
 * Percent values are 0-100, NPS -100..100, durations seconds. Empty measures give
 * `{ value: null, n: 0 }`, except counts (volume, mentions) whose value is 0.
 */
export function pointOf(metric: MetricName, m: Measures): Point {
  const n = get(m, METRICS[metric].nMeasure);
  switch (metric) {
    case "volume":
      return { value: n, n, parts: { count: n } };
    case "mentions":
      return { value: n, n, parts: { count: n, reach: get(m, "reach") } };
    case "fcr":
      return { value: pct(get(m, "fcr"), n), n, parts: { resolved: n, oneTouch: get(m, "fcr") } };
    case "reopen-rate":
      return { value: pct(get(m, "reopened"), n), n, parts: { resolved: n, reopened: get(m, "reopened") } };
    case "resolution-time":
    case "first-response-time": {
      const mu = mean(get(m, "sum"), n);
      const [median, p90] = quantilesOf(m, [0.5, 0.9]);
      return { value: mu, n, parts: { mean: mu, median: median!, p90: p90! } };
    }
    case "handle-time": {
      const mu = mean(get(m, "hsum"), n);
      return { value: mu, n, parts: { mean: mu } };
    }
    case "nps": {
      const p = get(m, "promoters");
      const d = get(m, "detractors");
      return {
        value: n > 0 ? (100 * (p - d)) / n : null,
        n,
        parts: { promoters: p, passives: get(m, "passives"), detractors: d },
      };
    }
    case "csat":
      return {
        value: pct(get(m, "satisfied"), n),
        n,
        parts: { satisfied: get(m, "satisfied"), mean: mean(get(m, "sum"), n, SURVEY_FIXED_POINT.csat) },
      };
    case "ces": {
      const mu = mean(get(m, "sum"), n, SURVEY_FIXED_POINT.ces);
      return { value: mu, n, parts: { mean: mu, lowEffort: get(m, "lowEffort"), lowEffortPct: pct(get(m, "lowEffort"), n) } };
    }
    case "sentiment": {
      const pos = get(m, "pos");
      const neg = get(m, "neg");
      return {
        value: pct(neg, n),
        n,
        parts: {
          positive: pos,
          neutral: get(m, "neu"),
          negative: neg,
          shareNegative: pct(neg, n),
          net: n > 0 ? (pos - neg) / n : null,
          meanScore: mean(get(m, "sum"), n, SENTIMENT_FIXED_POINT),
        },
      };
    }
  }
}

export interface Change {
  /** the previous period's value (null when its n is 0) */
  previous: number | null;
  /** current - previous in the metric's unit (percentage points for percents); null if either is null */
  delta: number | null;
  test: TestName;
  statistic: number | null;
  pValue: number | null;
  significant: boolean;
}

/** Sample of a mean metric for Welch, in the metric's unit. */
function meanSample(m: Measures, nKey: string, sumKey: string, sumSqKey: string, fixedPoint: number) {
  const s = meanSampleOf(get(m, nKey), get(m, sumKey), get(m, sumSqKey));
  return { n: s.n, mean: s.mean / fixedPoint, variance: s.variance / (fixedPoint * fixedPoint) };
}

/** The significance test product.md names for `metric`, current (side 1) versus previous (side 2). */
export function testOf(
  metric: MetricName,
  current: Measures,
  previous: Measures,
  exposure: { current: number; previous: number } = { current: 1, previous: 1 },
): TestResult {
  const c = current;
  const p = previous;
  const n = METRICS[metric].nMeasure;
  switch (metric) {
    case "volume":
    case "mentions":
      return poissonRateTest(get(c, n), exposure.current, get(p, n), exposure.previous);
    case "fcr":
      return twoProportionTest(get(c, "fcr"), get(c, n), get(p, "fcr"), get(p, n));
    case "reopen-rate":
      return twoProportionTest(get(c, "reopened"), get(c, n), get(p, "reopened"), get(p, n));
    case "csat":
      return twoProportionTest(get(c, "satisfied"), get(c, n), get(p, "satisfied"), get(p, n));
    case "sentiment":
      return twoProportionTest(get(c, "neg"), get(c, n), get(p, "neg"), get(p, n));
    case "resolution-time":
    case "first-response-time":
      return welchTest(meanSample(c, n, "sum", "sumSq", 1), meanSample(p, n, "sum", "sumSq", 1));
    case "handle-time":
      return welchTest(meanSample(c, n, "hsum", "hsumSq", 1), meanSample(p, n, "hsum", "hsumSq", 1));
    case "ces":
      return welchTest(
        meanSample(c, n, "sum", "sumSq", SURVEY_FIXED_POINT.ces),
        meanSample(p, n, "sum", "sumSq", SURVEY_FIXED_POINT.ces),
      );
    case "nps":
      return npsDifferenceTest(
        get(c, "promoters"), get(c, "detractors"), get(c, n),
        get(p, "promoters"), get(p, "detractors"), get(p, n),
      );
  }
}

/**
 * The change of `metric` from the previous period's summed measures to the current one's, with
 * the metric's significance test (see `testOf`). `exposure` (lengths of the two periods, any
 * unit) matters only for volumes; equal by default, as `previousRange` makes them.
 */
export function changeOf(
  metric: MetricName,
  current: Measures,
  previous: Measures,
  exposure?: { current: number; previous: number },
): Change {
  const cur = pointOf(metric, current).value;
  const prev = pointOf(metric, previous).value;
  const t = testOf(metric, current, previous, exposure);
  return {
    previous: prev,
    delta: cur !== null && prev !== null ? cur - prev : null,
    test: t.test,
    statistic: t.statistic,
    pValue: t.pValue,
    significant: t.significant,
  };
}
