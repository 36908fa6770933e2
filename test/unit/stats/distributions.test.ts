import { describe, expect, it } from "vitest";
import { normalCdf, normalTwoSidedP, studentTCdf, studentTTwoSidedP } from "../../../shared/domain/stats/distributions";
import { erfc, incompleteBeta, logGamma } from "../../../shared/domain/stats/special";

describe("normalCdf", () => {
  // Standard normal table values (Abramowitz & Stegun, table 26.1).
  it.each([
    [0, 0.5],
    [1, 0.8413447460685429],
    [-1, 0.15865525393145707],
    [1.959963984540054, 0.975],
    [2.5758293035489, 0.995],
    [-3, 0.0013498980316301],
    [-6, 9.865876450377e-10],
  ])("Φ(%d) = %d", (z, p) => {
    expect(normalCdf(z)).toBeCloseTo(p, 12);
    expect(Math.abs(normalCdf(z) - p) / p).toBeLessThan(1e-9);
  });

  it("two-sided p of 1.96 is 0.05", () => {
    expect(normalTwoSidedP(1.959963984540054)).toBeCloseTo(0.05, 12);
    expect(normalTwoSidedP(-1.959963984540054)).toBeCloseTo(0.05, 12);
    expect(normalTwoSidedP(0)).toBe(1);
  });
});

describe("special functions", () => {
  it("erfc matches known values", () => {
    expect(erfc(0)).toBe(1);
    expect(erfc(0.5)).toBeCloseTo(0.4795001221869535, 14);
    expect(erfc(3)).toBeCloseTo(2.209049699858544e-5, 18);
    expect(erfc(-1)).toBeCloseTo(1.842700792949715, 14);
  });

  it("logGamma matches factorials", () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(logGamma(101)).toBeCloseTo(363.73937555556347, 9);
  });

  it("incomplete beta: I_x(1,1) = x and I_x(a,1) = x^a", () => {
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(incompleteBeta(0.3, 3, 1)).toBeCloseTo(0.027, 12);
    expect(incompleteBeta(0, 2, 3)).toBe(0);
    expect(incompleteBeta(1, 2, 3)).toBe(1);
  });
});

describe("Student t", () => {
  // Critical values from the standard t table: P(|T| > t) = 0.05.
  it.each([
    [12.706204736, 1],
    [4.302652730, 2],
    [2.570581836, 5],
    [2.228138852, 10],
    [2.042272456, 30],
  ])("two-sided p of t = %d with df %d is 0.05", (t, df) => {
    expect(studentTTwoSidedP(t, df)).toBeCloseTo(0.05, 8);
    expect(studentTCdf(-t, df)).toBeCloseTo(0.025, 8);
  });

  it("matches the closed forms for df = 1 (Cauchy) and df = 2", () => {
    for (const t of [-3, -0.5, 0, 1, 2.5]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 12);
    }
  });

  it("matches numerical integration of the density for fractional df", () => {
    for (const df of [2.5, 4.741935483870968, 17.3]) {
      const c = Math.exp(logGamma((df + 1) / 2) - logGamma(df / 2)) / Math.sqrt(df * Math.PI);
      const pdf = (x: number) => c * Math.pow(1 + (x * x) / df, -(df + 1) / 2);
      // Simpson's rule for P(0 < T < t).
      const t = 2.1;
      const steps = 2000;
      const h = t / steps;
      let s = pdf(0) + pdf(t);
      for (let i = 1; i < steps; i++) s += (i % 2 ? 4 : 2) * pdf(i * h);
      const central = (s * h) / 3;
      expect(studentTCdf(t, df)).toBeCloseTo(0.5 + central, 10);
    }
  });

  it("matches scipy reference values for fractional df", () => {
    // scipy 1.17: stats.t.cdf(2.1, 4.741935483870968), 2 * stats.t.sf(2.0, 7.5)
    expect(studentTCdf(2.1, 4.741935483870968)).toBeCloseTo(0.9536084241383234, 11);
    expect(studentTTwoSidedP(2.0, 7.5)).toBeCloseTo(0.08289699529816631, 11);
  });

  it("tends to the normal as df grows", () => {
    expect(studentTTwoSidedP(1.959963984540054, 1e7)).toBeCloseTo(0.05, 6);
    expect(studentTTwoSidedP(1.959963984540054, Infinity)).toBeCloseTo(0.05, 12);
  });

  it("rejects df <= 0", () => {
    expect(() => studentTCdf(1, 0)).toThrow(RangeError);
  });
});
