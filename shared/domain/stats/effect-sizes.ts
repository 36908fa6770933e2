/**
 * Standardized effect sizes, on one scale so differences of proportions and of means can be
 * ranked together (Cohen 1988: 0.2 small, 0.5 medium, 0.8 large for both).
 */

/** Cohen's h = 2·asin√p1 − 2·asin√p2 for two proportions in [0, 1]. */
export function cohensH(p1: number, p2: number): number {
  return 2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p2));
}

/**
 * Cohen's d = (mean1 − mean2) / pooled standard deviation (n − 1 denominators). Null when a side
 * has fewer than 2 values, or when the pooled deviation is 0 (d is then undefined unless the
 * means are equal: 0).
 */
export function cohensD(a: readonly number[], b: readonly number[]): number | null {
  if (a.length < 2 || b.length < 2) return null;
  const mean = (x: readonly number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const ss = (x: readonly number[], m: number) => x.reduce((s, v) => s + (v - m) ** 2, 0);
  const ma = mean(a);
  const mb = mean(b);
  const pooled = Math.sqrt((ss(a, ma) + ss(b, mb)) / (a.length + b.length - 2));
  if (!(pooled > 0)) return ma === mb ? 0 : null;
  return (ma - mb) / pooled;
}
