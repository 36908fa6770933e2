/**
 * The Numenta Anomaly Benchmark's scoring rule (NAB's `nab/sweeper.py`, standard profile), as
 * stated in docs/alerts.md: an alert early inside a labelled anomaly window earns up to `A_tp`,
 * a window without an alert costs `A_fn`, and each alert outside every window costs up to `A_fp`
 * (less just after a window). Pure: rows are indices, alerts are 0/1 per row.
 */

/** NAB's cost matrix ("profile"). */
export interface NabProfile {
  tp: number;
  fp: number;
  fn: number;
}

/** NAB's standard profile: A_tp = 1, A_fp = 0.11, A_fn = 1. */
export const NAB_STANDARD_PROFILE: NabProfile = { tp: 1.0, fp: 0.11, fn: 1.0 };

/** A labelled anomaly window as row indices, both inclusive (`start <= end`). */
export interface NabWindow {
  start: number;
  end: number;
}

/**
 * Rows at the start of a file whose alerts are not scored: `min(floor(0.15 × rows), 750)`
 * (NAB: 15 % of the file, at most 15 % of 5,000 rows).
 */
export function probationaryLength(rows: number): number {
  return Math.min(Math.floor(0.15 * rows), 750);
}

/**
 * NAB's scaled sigmoid `2 / (1 + e^(5y)) − 1`, in (−1, 1); exactly −1 when `y > 3`.
 * Inside a window `y` runs from −1 (first row) towards 0 (last row); after a window it is the
 * distance past the window in window widths.
 */
export function scaledSigmoid(y: number): number {
  if (y > 3) return -1;
  return 2 / (1 + Math.exp(5 * y)) - 1;
}

export interface NabFileScore {
  /** the file's raw score: windows' scores plus every scored alert outside the windows */
  raw: number;
  /** what a detector that never alerts gets: −A_fn × scored windows */
  nullScore: number;
  /** what alerting at the first row of every scored window and nowhere else gets: A_tp × scored windows */
  perfect: number;
  /** windows scored (those not wholly inside the probationary rows) */
  windows: number;
  /** scored windows with at least one scored alert */
  detected: number;
  /** scored alerts outside every window */
  falseAlerts: number;
  /** per scored window: its score (the best alert's, or −A_fn) and the row of its first alert */
  windowScores: { start: number; end: number; score: number; firstAlert: number | null }[];
  /** sum of the scores of the alerts outside windows (≤ 0) */
  falseAlertScore: number;
}

/**
 * Scores one file. `alerts[i]` truthy means the detector alerted at row `i`; `windows` must be
 * sorted, disjoint and inside `0..alerts.length-1` (throws RangeError otherwise).
 *
 * Edge cases, as in NAB: an alert in the probationary rows counts for nothing (neither true nor
 * false); a window ending inside the probationary rows is not scored at all, one straddling their
 * end is scored from its first scored row on (an earlier alert in it is ignored, but its score
 * still depends on the position in the whole window); an alert outside windows before the first
 * window costs −A_fp; after a window with right edge `Rp` and width `Wp` it costs
 * `σ(|Rp − i| / (Wp − 1)) · A_fp`.
 */
export function nabFileScore(
  alerts: ArrayLike<number | boolean>,
  windows: readonly NabWindow[],
  profile: NabProfile = NAB_STANDARD_PROFILE,
): NabFileScore {
  const rows = alerts.length;
  checkWindows(windows, rows);
  const probation = probationaryLength(rows);
  const maxTp = scaledSigmoid(-1);
  const windowScores: NabFileScore["windowScores"] = [];
  let falseAlerts = 0;
  let falseAlertScore = 0;
  let w = 0; // next window not yet passed
  let prev: NabWindow | null = null;
  for (const win of windows) {
    if (win.end >= probation) windowScores.push({ start: win.start, end: win.end, score: -profile.fn, firstAlert: null });
  }
  let scored = 0; // index into windowScores of the current/next scored window
  for (let i = 0; i < rows; i++) {
    while (w < windows.length && windows[w]!.end < i) {
      prev = windows[w]!;
      if (prev.end >= probation) scored++;
      w++;
    }
    if (!alerts[i] || i < probation) continue;
    const cur = w < windows.length && windows[w]!.start <= i ? windows[w]! : null;
    if (cur) {
      const entry = windowScores[scored]!;
      if (entry.firstAlert === null) {
        const width = cur.end - cur.start + 1;
        entry.score = (scaledSigmoid(-(cur.end - i + 1) / width) * profile.tp) / maxTp;
        entry.firstAlert = i;
      }
    } else {
      falseAlerts++;
      if (prev === null) {
        falseAlertScore += -1 * profile.fp;
      } else {
        const width = prev.end - prev.start + 1;
        falseAlertScore += scaledSigmoid(Math.abs(prev.end - i) / (width - 1)) * profile.fp;
      }
    }
  }
  const raw = windowScores.reduce((s, x) => s + x.score, 0) + falseAlertScore;
  return {
    raw,
    nullScore: -profile.fn * windowScores.length,
    perfect: profile.tp * windowScores.length,
    windows: windowScores.length,
    detected: windowScores.filter((x) => x.firstAlert !== null).length,
    falseAlerts,
    windowScores,
    falseAlertScore,
  };
}

/**
 * NAB's normalised score over a set of files: `100 × (Σ raw − Σ null) / (Σ perfect − Σ null)`.
 * 0 for a detector that never alerts, 100 for a perfect one; NaN when no file has a scored window.
 */
export function nabNormalizedScore(files: readonly Pick<NabFileScore, "raw" | "nullScore" | "perfect">[]): number {
  let raw = 0;
  let nul = 0;
  let perfect = 0;
  for (const f of files) {
    raw += f.raw;
    nul += f.nullScore;
    perfect += f.perfect;
  }
  return (100 * (raw - nul)) / (perfect - nul);
}

function checkWindows(windows: readonly NabWindow[], rows: number): void {
  let last = -1;
  for (const w of windows) {
    if (!Number.isInteger(w.start) || !Number.isInteger(w.end) || w.start < 0 || w.end >= rows || w.start > w.end) {
      throw new RangeError(`window ${w.start}..${w.end} is not inside rows 0..${rows - 1}`);
    }
    if (w.start <= last) throw new RangeError(`window ${w.start}..${w.end} overlaps or precedes the one before it`);
    if (w.end - w.start + 1 < 2) throw new RangeError(`window ${w.start}..${w.end} is narrower than 2 rows`);
    last = w.end;
  }
}

/**
 * Turns windows given as timestamps (NAB's `windows.json`, e.g. "2015-03-05 03:22:53.000000")
 * into row indices of a series whose rows carry `timestamps` (e.g. "2015-03-05 03:22:53"). Both
 * ends must be rows of the series (they are in NAB); a missing one throws a RangeError naming it.
 * Timestamps are compared as instants (a fractional part of zeros is ignored).
 */
export function windowsToRows(timestamps: readonly string[], windows: readonly (readonly [string, string])[]): NabWindow[] {
  const index = new Map<number, number>();
  timestamps.forEach((t, i) => index.set(parseNabTimestamp(t), i));
  return windows.map(([a, b]) => {
    const start = index.get(parseNabTimestamp(a));
    const end = index.get(parseNabTimestamp(b));
    if (start === undefined) throw new RangeError(`window start ${a} is not a row of the series`);
    if (end === undefined) throw new RangeError(`window end ${b} is not a row of the series`);
    return { start, end };
  });
}

/** "YYYY-MM-DD HH:MM:SS[.ffffff]" (or ISO with T/Z) read as UTC, in ms; throws RangeError if unreadable. */
export function parseNabTimestamp(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z?$/.exec(s.trim());
  if (!m) throw new RangeError(`unreadable timestamp ${JSON.stringify(s)}`);
  const frac = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) + frac;
}
