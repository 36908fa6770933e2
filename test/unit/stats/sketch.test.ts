import { describe, expect, it } from "vitest";
import {
  addToSketch, isSketchBin, mergeSketches, quantileOf, quantilesOf, SKETCH_RELATIVE_ERROR, sketchBinOf, sketchBinValue, sketchCount, type Sketch,
} from "../../../shared/domain/stats/sketch";

const exactQuantile = (sorted: number[], q: number) => sorted[Math.floor(q * (sorted.length - 1))]!;
const within = (got: number | null, want: number) => {
  expect(got).not.toBeNull();
  expect(Math.abs(got! - want)).toBeLessThanOrEqual(SKETCH_RELATIVE_ERROR * want + 1e-9);
};

describe("quantile sketch", () => {
  it("gives p90 and the median of 1..1000 within the relative error", () => {
    const s: Sketch = {};
    for (let i = 1; i <= 1000; i++) addToSketch(s, i);
    expect(sketchCount(s)).toBe(1000);
    within(quantileOf(s, 0.9), 900); // rank ⌊0.9·999⌋ = 899 → value 900
    within(quantileOf(s, 0.5), 500);
    within(quantileOf(s, 0), 1);
    within(quantileOf(s, 1), 1000);
  });

  it("gives p90 of an exponential-like distribution of durations within 2%", () => {
    // deterministic quantiles of Exp(mean 3600 s): x_i = -3600·ln(1 - (i + 0.5)/n)
    const n = 5000;
    const values = Array.from({ length: n }, (_, i) => Math.round(-3600 * Math.log(1 - (i + 0.5) / n)));
    const s: Sketch = {};
    for (const v of values) addToSketch(s, v);
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.99]) within(quantileOf(s, q), exactQuantile(sorted, q));
  });

  it("keeps zero in its own bin", () => {
    const s: Sketch = {};
    for (const v of [0, 0, 0, 10]) addToSketch(s, v);
    expect(s).toEqual({ qz: 3, [sketchBinOf(10)]: 1 });
    expect(quantileOf(s, 0.5)).toBe(0);
    within(quantileOf(s, 1), 10);
  });

  it("merges by adding bins, equal to sketching the union", () => {
    const a: Sketch = {};
    const b: Sketch = {};
    const u: Sketch = {};
    for (let i = 0; i < 300; i++) {
      addToSketch(i % 2 ? a : b, i * 7);
      addToSketch(u, i * 7);
    }
    expect(mergeSketches(a, b)).toEqual(u);
  });

  it("returns null for an empty sketch and ignores measures that are not bins", () => {
    expect(quantileOf({}, 0.5)).toBeNull();
    expect(quantileOf({ n: 5, sum: 10, qz: 0 }, 0.9)).toBeNull();
    const s = addToSketch({ n: 1, sum: 40, sumSq: 1600 }, 40);
    within(quantileOf(s, 0.5), 40);
    // keys that look like bins but are not (the bin pattern is q followed by z or an integer)
    const lookalikes = { q: 9, "q-": 9, "q--3": 9, "qz1": 9, "q1a": 9, "q+3": 9, "q 3": 9, "q3.5": 9, Q3: 9 };
    for (const k of Object.keys(lookalikes)) expect(isSketchBin(k), k).toBe(false);
    expect(quantilesOf({ ...lookalikes, ...s }, [0, 0.5, 1])).toEqual([quantileOf(s, 0), quantileOf(s, 0.5), quantileOf(s, 1)]);
  });

  it("answers several quantiles at once as one at a time, negative bins and the zero bin included", () => {
    const s: Sketch = {};
    for (const v of [0, 0, 0.01, 0.3, 0.9, 1, 2, 3, 50, 400, 400, 7_000, 86_400]) addToSketch(s, v);
    const qs = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1];
    expect(quantilesOf(s, qs)).toEqual(qs.map((q) => quantileOf(s, q)));
    expect(quantilesOf(s, [0, 0.5, 1])).toEqual([0, sketchBinValue(sketchBinOf(2)), sketchBinValue(sketchBinOf(86_400))]);
    expect(quantilesOf({}, [0.5, 0.9])).toEqual([null, null]);
  });

  it("bin keys are MongoDB-safe field names and every bin value is within α of its members", () => {
    for (const v of [0.001, 0.5, 1, 2, 59, 60, 61, 3600, 86_400, 31_536_000]) {
      const k = sketchBinOf(v);
      expect(k).toMatch(/^q(z|-?\d+)$/);
      expect(isSketchBin(k)).toBe(true);
      expect(Math.abs(sketchBinValue(k) - v) / v).toBeLessThanOrEqual(SKETCH_RELATIVE_ERROR + 1e-12);
    }
    expect(isSketchBin("n")).toBe(false);
  });

  it("rejects negative values and bad quantiles", () => {
    expect(() => addToSketch({}, -1)).toThrow(RangeError);
    expect(() => addToSketch({}, Number.NaN)).toThrow(RangeError);
    expect(() => quantileOf({ qz: 1 }, 1.5)).toThrow(RangeError);
  });
});
