/** Cumulative distribution functions and two-sided tail probabilities. */
import { erfc, incompleteBeta } from "./special";

/** Standard normal CDF Φ(z) = P(Z <= z). Accurate in both tails (no 1 - x cancellation). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Two-sided normal p-value P(|Z| >= |z|) = erfc(|z|/√2). */
export function normalTwoSidedP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/**
 * Student-t CDF P(T <= t) with `df` degrees of freedom; `df` may be fractional (Welch–Satterthwaite)
 * and must be > 0. `df = Infinity` gives the normal CDF.
 */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${df}`);
  if (!Number.isFinite(df)) return normalCdf(t);
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Two-sided Student-t p-value P(|T| >= |t|) = I_{df/(df+t²)}(df/2, 1/2). */
export function studentTTwoSidedP(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${df}`);
  if (!Number.isFinite(df)) return normalTwoSidedP(t);
  return Math.min(1, incompleteBeta(df / (df + t * t), df / 2, 0.5));
}
