/**
 * Generated count series for choosing and measuring the spike detector without touching the
 * real evaluation data: 5-minute counts shaped like social-media and ticket volumes, with labelled
 * anomalies and NAB-style windows around them. Seeded, so a seed always gives the same series.
 *
 * What a series holds (every parameter drawn per series from the seed):
 * - a base rate from 0.3 to 60 items per 5 minutes (log-uniform): quiet brands to busy ones;
 * - a daily cycle (two harmonics, peak at a random hour, night-to-day ratio up to ~5×), weekends
 *   at 45-100 % of weekdays, and a trend of up to ±50 % (log-linear) over the series;
 * - model error: log-normal multiplicative noise, AR(1) with about an hour of memory, σ 0.08-0.3;
 * - bursty arrivals: items come in clusters (retweets, bulk tickets), mean cluster size 1-2.5;
 * - ordinary, unlabelled events about every two days: ×1.3-2.2 for 20 minutes to 2 hours
 *   (a busy afternoon, a small campaign) — the detector should stay quiet on these;
 * - 2-4 labelled anomalies, spaced at least 3 days apart and after the first 4 days: a spike
 *   (×3-15 at its peak, decaying over 1-8 hours) or a level shift (×1.8-3 for 1-3 days).
 * The labelled window of an anomaly is centred on its onset and as wide as NAB makes them:
 * 10 % of the series length divided by the number of anomalies.
 */
import type { NabWindow } from "../../shared/domain/alerts/nab-score";
import { seededRandom } from "./seeded-random";

export interface GeneratedSeries {
  name: string;
  /** bucket start times, ms since the epoch (5-minute buckets) */
  timestamps: number[];
  counts: number[];
  /** labelled anomaly windows (row indices) */
  windows: NabWindow[];
  /** rows where each labelled anomaly starts */
  onsets: number[];
  /** what each labelled anomaly is (for diagnostics) */
  anomalies: { onset: number; kind: "spike" | "shift"; factor: number }[];
  /** the series' base rate, items per bucket */
  base: number;
}

export interface SeriesOptions {
  seed: number;
  /** rows (5-minute buckets); default 15,840 (55 days, like NAB's Twitter series) */
  rows?: number;
  /** labelled anomalies; default 2-4 drawn from the seed */
  anomalies?: number;
  /** first bucket; default 2015-03-02T00:00:00Z, a Monday */
  startMs?: number;
  /**
   * "calm" (default): ordinary events about every two days, ×1.3-2.2; "bursty": about every
   * 12 hours, ×1.3-3.5, and noise up to σ 0.45 — a harder, noisier kind of series; "heavy": like
   * bursty, but the ordinary events' sizes are heavy-tailed (1 + Pareto with tail index 1.5 and
   * scale 0.3: half are below ×1.48, one in 20 above ×2.9, one in 100 above ×7.5), as attention
   * bursts on social media are, so some unlabelled events are as large as labelled ones; and
   * items arrive in reshare cascades of power-law size (CASCADE_TAIL) instead of small clusters.
   */
  profile?: "calm" | "bursty" | "heavy";
}

const BUCKET_MS = 300_000;
/**
 * Tail index of cascade sizes in the "heavy" profile: P(size ≥ s) ≈ s^−2 (mean about 1.6, one
 * cascade in 100 of 10 or more items, one in 10,000 of 100 or more): reshare cascades on social
 * media have power-law sizes, so a quiet series sometimes gets a burst from one post.
 */
const CASCADE_TAIL = 2;

export function generateSeries(opts: SeriesOptions): GeneratedSeries {
  const rnd = seededRandom(opts.seed);
  const rows = opts.rows ?? 15_840;
  const start = opts.startMs ?? Date.UTC(2015, 2, 2);
  const u = (a: number, b: number) => a + (b - a) * rnd();
  const normal = () => Math.sqrt(-2 * Math.log(Math.max(rnd(), 1e-12))) * Math.cos(2 * Math.PI * rnd());
  const poisson = (lambda: number): number => {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal()));
    const l = Math.exp(-lambda);
    let k = 0;
    let p = 1;
    for (;;) {
      p *= rnd();
      if (p <= l) return k;
      k++;
    }
  };

  const base = Math.exp(u(Math.log(0.3), Math.log(60)));
  const amp1 = u(0.2, 0.8);
  const amp2 = u(0, 0.3);
  const peak = u(0, 24);
  const weekend = u(0.45, 1);
  const trend = u(-0.5, 0.5);
  const heavy = opts.profile === "heavy";
  const bursty = opts.profile === "bursty" || heavy;
  const sigma = u(0.08, bursty ? 0.45 : 0.3);
  const rho = Math.exp(-1 / 12);
  const cluster = u(1, 2.5);

  // multiplicative effect of events, per row
  const effect = new Float64Array(rows).fill(1);
  const addEvent = (at: number, peakFactor: number, riseRows: number, decayRows: number, lengthRows: number) => {
    for (let i = at; i < Math.min(rows, at + lengthRows); i++) {
      const t = i - at;
      const shape = t < riseRows ? (t + 1) / riseRows : Math.exp(-(t - riseRows) / decayRows);
      effect[i] = effect[i]! * (1 + (peakFactor - 1) * shape);
    }
  };
  const addShift = (at: number, factor: number, lengthRows: number) => {
    for (let i = at; i < Math.min(rows, at + lengthRows); i++) effect[i] = effect[i]! * factor;
  };

  // ordinary events
  for (let i = Math.floor(u(0, 576)); i < rows; i += Math.floor(bursty ? u(72, 216) : u(288, 864))) {
    const len = Math.floor(u(4, 24));
    const size = heavy ? 1 + 0.3 * Math.pow(1 - rnd(), -1 / 1.5) : u(1.3, bursty ? 3.5 : 2.2);
    addEvent(i, size, Math.floor(u(1, 4)), len / 2, len);
  }

  // labelled anomalies
  const count = opts.anomalies ?? 2 + Math.floor(rnd() * 3);
  const onsets: number[] = [];
  const earliest = 4 * 288;
  for (let tries = 0; onsets.length < count && tries < 1000; tries++) {
    const at = Math.floor(u(earliest, rows - 288));
    if (onsets.every((o) => Math.abs(o - at) > 3 * 288)) onsets.push(at);
  }
  onsets.sort((a, b) => a - b);
  const anomalies: GeneratedSeries["anomalies"] = [];
  for (const at of onsets) {
    if (rnd() < 0.75) {
      const decay = u(12, 96);
      const factor = u(3, 15);
      addEvent(at, factor, Math.floor(u(1, 6)), decay, Math.floor(decay * 5));
      anomalies.push({ onset: at, kind: "spike", factor });
    } else {
      const factor = u(1.8, 3);
      addShift(at, factor, Math.floor(u(288, 864)));
      anomalies.push({ onset: at, kind: "shift", factor });
    }
  }
  const width = Math.floor((0.1 * rows) / Math.max(1, onsets.length));
  const windows = onsets.map((o) => ({
    start: Math.max(0, o - Math.floor(width / 2)),
    end: Math.min(rows - 1, o - Math.floor(width / 2) + width - 1),
  }));

  const timestamps: number[] = [];
  const counts: number[] = [];
  let ar = 0;
  for (let i = 0; i < rows; i++) {
    const ts = start + i * BUCKET_MS;
    timestamps.push(ts);
    const hour = (ts / 3_600_000) % 24;
    const dow = (Math.floor(ts / 86_400_000) + 4) % 7;
    const daily = Math.exp(amp1 * Math.cos((2 * Math.PI * (hour - peak)) / 24) + amp2 * Math.cos((4 * Math.PI * (hour - peak)) / 24));
    const week = dow === 0 || dow === 6 ? weekend : 1;
    const tr = Math.exp(trend * (i / rows));
    ar = rho * ar + Math.sqrt(1 - rho * rho) * sigma * normal();
    const lambda = base * daily * week * tr * Math.exp(ar - (sigma * sigma) / 2) * effect[i]!;
    // clusters of mean size `cluster` (geometric), arriving at rate lambda / cluster
    const clusters = poisson(lambda / cluster);
    let x = 0;
    for (let c = 0; c < clusters; c++) {
      let size = 1;
      if (heavy) size = Math.floor(Math.pow(1 - rnd(), -1 / CASCADE_TAIL));
      else while (rnd() > 1 / cluster) size++;
      x += size;
    }
    counts.push(x);
  }
  return { name: `generated-${opts.profile ?? "calm"}-${opts.seed}`, timestamps, counts, windows, onsets, anomalies, base };
}
