/**
 * A mergeable quantile sketch for non-negative values (durations in seconds), after DDSketch
 * (Masson, Rim & Lee, VLDB 2019): value v > 0 goes to bin i = ⌈log_γ v⌉ with γ = (1+α)/(1-α),
 * and every value in bin i is within relative error α of the bin's representative 2γ^i/(γ+1).
 * Zero has its own bin. α = 0.02, so a reported median or p90 is within 2% of a value that is
 * truly at that rank.
 *
 * Storage: a flat record of counters, `q<i>` (i may be negative for values < 1, e.g. `q-3`) and
 * `qz` for zero, so it lives next to other measures in a rollup slot and merges by `$inc`
 * (MongoDB field names: no dots, no `$`). Functions that read a sketch ignore keys that are
 * not bins, so a whole measures record can be passed in.
 */

export const SKETCH_RELATIVE_ERROR = 0.02;
const GAMMA = (1 + SKETCH_RELATIVE_ERROR) / (1 - SKETCH_RELATIVE_ERROR);
const LN_GAMMA = Math.log(GAMMA);
export const ZERO_BIN = "qz";
const BIN_RE = /^q(z|-?\d+)$/;

/** Counters by bin key; any other key is ignored by the readers. */
export type Sketch = Record<string, number>;

/**
 * The bin key of a value: "qz" for 0, else `q<⌈log_γ v⌉>`.
 * Throws RangeError for a negative or non-finite value (durations are never negative).
 */
export function sketchBinOf(value: number): string {
  if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`sketch values must be finite and >= 0, got ${value}`);
  if (value === 0) return ZERO_BIN;
  // The tiny nudge keeps exact powers of γ in their own bin despite rounding in log().
  return `q${Math.ceil(Math.log(value) / LN_GAMMA - 1e-9)}`;
}

/**
 * Bin index of a key (zero bin = -Infinity), or undefined when the key is not a bin (`BIN_RE`).
 * Read by hand, not by the regular expression: trend answers call this for every bin of every point.
 */
function binIndexOf(key: string): number | undefined {
  const len = key.length;
  if (len < 2 || key.charCodeAt(0) !== 113 /* q */) return undefined;
  if (len === 2 && key.charCodeAt(1) === 122 /* z */) return -Infinity;
  const negative = key.charCodeAt(1) === 45; /* - */
  let i = negative ? 2 : 1;
  if (i === len) return undefined;
  let n = 0;
  for (; i < len; i++) {
    const c = key.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    n = n * 10 + c;
  }
  return negative ? -n : n;
}

/** Representative value of a bin: 0 for the zero bin, else 2γ^i/(γ+1). */
export function sketchBinValue(key: string): number {
  const i = binIndexOf(key);
  if (i === undefined) throw new RangeError(`not a sketch bin: ${key}`);
  return binValue(i);
}

const binValue = (i: number): number => (i === -Infinity ? 0 : (2 * Math.pow(GAMMA, i)) / (GAMMA + 1));

/** Whether a measure key is a sketch bin. */
export function isSketchBin(key: string): boolean {
  return BIN_RE.test(key);
}

/** Adds `value` (count `weight`, default 1) to `sketch` in place and returns it. */
export function addToSketch(sketch: Sketch, value: number, weight = 1): Sketch {
  const k = sketchBinOf(value);
  sketch[k] = (sketch[k] ?? 0) + weight;
  return sketch;
}

/** A new sketch holding both inputs' bins (non-bin keys are dropped). */
export function mergeSketches(a: Sketch, b: Sketch): Sketch {
  const out: Sketch = {};
  for (const s of [a, b]) {
    for (const [k, v] of Object.entries(s)) if (isSketchBin(k)) out[k] = (out[k] ?? 0) + v;
  }
  return out;
}

/** Total count held in the sketch's bins. */
export function sketchCount(sketch: Sketch): number {
  let n = 0;
  for (const [k, v] of Object.entries(sketch)) if (isSketchBin(k)) n += v;
  return n;
}

/**
 * The q-quantile (0 <= q <= 1; 0.5 = median, 0.9 = p90) with the lower-rank convention of
 * DDSketch: the value at rank ⌊q·(n-1)⌋ of the sorted values, within relative error α.
 * Returns null for an empty sketch (no bin with a positive count). Throws RangeError for q
 * outside [0, 1].
 */
export function quantileOf(sketch: Sketch, q: number): number | null {
  return quantilesOf(sketch, [q])[0]!;
}

/** `quantileOf` for several q at once: the bins are gathered and sorted once. */
export function quantilesOf(sketch: Sketch, qs: readonly number[]): (number | null)[] {
  for (const q of qs) if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
  const bins: Array<[number, number]> = [];
  let n = 0;
  for (const k in sketch) {
    const v = sketch[k]!;
    if (!(v > 0)) continue;
    const i = binIndexOf(k);
    if (i === undefined) continue;
    bins.push([i, v]);
    n += v;
  }
  if (n === 0) return qs.map(() => null);
  bins.sort((x, y) => x[0] - y[0]);
  return qs.map((q) => {
    const rank = Math.floor(q * (n - 1));
    let seen = 0;
    for (const [i, v] of bins) {
      seen += v;
      if (seen > rank) return binValue(i);
    }
    return binValue(bins[bins.length - 1]![0]);
  });
}
