import { describe, expect, it } from "vitest";
import { METRIC_NAMES, METRICS } from "../../../shared/domain/metrics/registry";
import { changeOf, pointOf, testOf } from "../../../shared/domain/metrics/points";
import { addToSketch } from "../../../shared/domain/stats/sketch";
import { npsDifferenceTest, poissonRateTest, twoProportionTest, welchTest } from "../../../shared/domain/stats/tests";

describe("METRICS", () => {
  it("names a definition version, a family and a test for every metric", () => {
    for (const name of METRIC_NAMES) {
      const d = METRICS[name];
      expect(d.name).toBe(name);
      expect(d.definition).toBe(`${name}.v1`);
    }
    expect(METRICS.fcr).toMatchObject({ family: "tickets_resolved", test: "two-proportion-z", unit: "percent" });
    expect(METRICS.volume).toMatchObject({ family: "tickets_created", test: "poisson-rate" });
    expect(METRICS.nps).toMatchObject({ family: "surveys", where: { surveyKind: "nps" }, test: "nps-difference-z" });
    expect(METRICS["handle-time"]).toMatchObject({ nMeasure: "hn", test: "welch-t" });
  });
});

describe("pointOf", () => {
  it.each(METRIC_NAMES)("%s of nothing has n = 0 and no NaN", (metric) => {
    const p = pointOf(metric, {});
    expect(p.n).toBe(0);
    expect(p.value).toBe(metric === "volume" || metric === "mentions" ? 0 : null);
    for (const v of Object.values(p.parts)) expect(v === null || Number.isFinite(v)).toBe(true);
  });

  it.each([
    ["volume", { n: 12 }, 12, 12, { count: 12 }],
    ["mentions", { n: 3, reach: 4500 }, 3, 3, { count: 3, reach: 4500 }],
    ["fcr", { n: 8, fcr: 6, reopened: 1 }, 75, 8, { resolved: 8, oneTouch: 6 }],
    ["reopen-rate", { n: 8, fcr: 6, reopened: 2 }, 25, 8, { resolved: 8, reopened: 2 }],
    ["handle-time", { n: 8, hn: 2, hsum: 900, hsumSq: 450_000 }, 450, 2, { mean: 450 }],
    ["handle-time", { n: 8 }, null, 0, { mean: null }],
    // 5 promoters, 3 passives, 2 detractors of 10: NPS = 50% - 20% = 30
    ["nps", { n: 10, promoters: 5, passives: 3, detractors: 2 }, 30, 10, { promoters: 5, passives: 3, detractors: 2 }],
    ["nps", { n: 4, detractors: 4 }, -100, 4, { promoters: 0, passives: 0, detractors: 4 }],
    // scores 5, 4, 4, 2 on 1-5: 3 satisfied of 4 = 75%, mean 15/4 = 3.75 (sum in ninths: 135)
    ["csat", { n: 4, satisfied: 3, sum: 135 }, 75, 4, { satisfied: 3, mean: 3.75 }],
    // CES 5 and 7 on 1-7 (sum in halves: 24): mean 6, both low effort
    ["ces", { n: 2, sum: 24, lowEffort: 2 }, 6, 2, { mean: 6, lowEffort: 2, lowEffortPct: 100 }],
    // pos 0.5, 0.3; neu 0; neg -0.6: share negative 25%, net (2-1)/4, mean 0.05
    ["sentiment", { n: 4, pos: 2, neu: 1, neg: 1, sum: 2000 }, 25, 4,
      { positive: 2, neutral: 1, negative: 1, shareNegative: 25, net: 0.25, meanScore: 0.05 }],
  ] as const)("%s of %j is %d (n %d)", (metric, m, value, n, parts) => {
    const p = pointOf(metric, m);
    if (value === null) expect(p.value).toBeNull();
    else expect(p.value).toBeCloseTo(value, 12);
    expect(p.n).toBe(n);
    for (const [k, v] of Object.entries(parts)) {
      if (v === null) expect(p.parts[k]).toBeNull();
      else expect(p.parts[k]).toBeCloseTo(v, 12);
    }
  });

  it("resolution time gives mean, median and p90 from the sketch", () => {
    // ten tickets resolved in 100, 200, ..., 1000 s: mean 550, median (rank 4) 500, p90 (rank 8) 900
    const m: Record<string, number> = { n: 10, sum: 5500, sumSq: 3_850_000 };
    for (let i = 1; i <= 10; i++) addToSketch(m, i * 100);
    const p = pointOf("resolution-time", m);
    expect(p.value).toBe(550);
    expect(p.parts.median! / 500).toBeCloseTo(1, 1);
    expect(Math.abs(p.parts.median! - 500)).toBeLessThanOrEqual(10);
    expect(Math.abs(p.parts.p90! - 900)).toBeLessThanOrEqual(18);
    expect(pointOf("first-response-time", {})).toEqual({ value: null, n: 0, parts: { mean: null, median: null, p90: null } });
  });
});

describe("changeOf", () => {
  it("FCR: 60 of 100 now vs 45 of 100 before → +15 points, two-proportion z = 2.124, p = 0.0337", () => {
    const c = changeOf("fcr", { n: 100, fcr: 60 }, { n: 100, fcr: 45 });
    expect(c.previous).toBe(45);
    expect(c.delta).toBeCloseTo(15, 12);
    expect(c.test).toBe("two-proportion-z");
    expect(c.statistic).toBeCloseTo(2.12398, 5);
    expect(c.pValue).toBeCloseTo(0.03367, 5);
    expect(c.significant).toBe(true);
  });

  it("volume uses the conditional binomial (Poisson) test", () => {
    const c = changeOf("volume", { n: 10 }, { n: 4 });
    expect(c).toMatchObject({ previous: 4, delta: 6, test: "poisson-rate", significant: false });
    expect(c.pValue).toBeCloseTo(poissonRateTest(10, 1, 4, 1).pValue!, 15);
  });

  it.each([
    ["reopen-rate", { n: 50, reopened: 10 }, { n: 60, reopened: 3 }, twoProportionTest(10, 50, 3, 60)],
    ["csat", { n: 50, satisfied: 40 }, { n: 60, satisfied: 30 }, twoProportionTest(40, 50, 30, 60)],
    ["sentiment", { n: 200, neg: 80 }, { n: 180, neg: 40 }, twoProportionTest(80, 200, 40, 180)],
    ["nps", { n: 100, promoters: 50, detractors: 20 }, { n: 100, promoters: 40, detractors: 30 }, npsDifferenceTest(50, 20, 100, 40, 30, 100)],
    // {1,2,3} vs {3,4,6,7} seconds
    ["resolution-time", { n: 3, sum: 6, sumSq: 14 }, { n: 4, sum: 20, sumSq: 110 }, welchTest({ n: 3, mean: 2, variance: 1 }, { n: 4, mean: 5, variance: 10 / 3 })],
    ["handle-time", { hn: 3, hsum: 6, hsumSq: 14 }, { hn: 4, hsum: 20, hsumSq: 110 }, welchTest({ n: 3, mean: 2, variance: 1 }, { n: 4, mean: 5, variance: 10 / 3 })],
    // CES {1,2,3} vs {3,4,6,7} on 1-7, stored in halves: the test is on the scores themselves
    ["ces", { n: 3, sum: 12, sumSq: 56 }, { n: 4, sum: 40, sumSq: 440 }, welchTest({ n: 3, mean: 2, variance: 1 }, { n: 4, mean: 5, variance: 10 / 3 })],
  ] as const)("%s uses the test product.md names", (metric, cur, prev, expected) => {
    const t = testOf(metric, cur, prev);
    expect(t.test).toBe(expected.test);
    expect(t.statistic).toBeCloseTo(expected.statistic!, 10);
    expect(t.pValue).toBeCloseTo(expected.pValue!, 10);
  });

  it("an empty previous period gives previous null, delta null, p-value null", () => {
    expect(changeOf("fcr", { n: 10, fcr: 5 }, {})).toEqual({
      previous: null, delta: null, test: "two-proportion-z", statistic: null, pValue: null, significant: false,
    });
    expect(changeOf("volume", {}, {})).toMatchObject({ previous: 0, delta: 0, pValue: null, significant: false });
  });
});
