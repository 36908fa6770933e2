/**
 * The spike detector: an online, seasonal, count-aware model of one series (the rule in
 * docs/alerts.md). Each bucket is scored against what the model expected from earlier buckets
 * only, then folded into the model. Pure and allocation-free per bucket (state is numbers and
 * typed arrays) so that thousands of rules cost little; `toState()` / `fromState()` store it.
 *
 * Model, per bucket t with count x (and exposure n: 1 for volumes, the number of items for a
 * share such as negative mentions / mentions):
 * - expected count λ = n · L · D(time of day) · W(day of week). L is the level (an exponentially
 *   weighted mean of de-seasonalised counts, which follows trends), D an hourly daily profile
 *   interpolated between hour centres, W a weekly factor; D and W are ratios of exponentially
 *   weighted sums, normalised to mean 1.
 * - variance λ · (d + φ·λ): `d` ≥ 1 covers bursty arrivals (retweets, bulk tickets), φ
 *   multiplicative model error (a negative-binomial-like term). Both come from a moving
 *   regression of squared Pearson residuals on λ.
 * - score over the last w buckets for each aggregation window (5 min, 15 min, 1 h and 3 h at
 *   5-minute buckets): with X and Λ the observed and expected sums, z = r(X, Λ) / √v, r the signed
 *   root of the Poisson deviance (an accurate normal score even at counts near 0) and v the
 *   window's own dispersion d_w + φ_w·Λ (the same regression over the window's sums), at most
 *   d + φ·Λ: the bucket's model error φ taken as fully correlated over the window, the largest
 *   the bucket model allows. Much of a bucket's overdispersion is cascades that do not repeat in the next
 *   bucket, so assuming full correlation made the long windows far less sensitive to a sustained
 *   rise than the data warrant (docs/alerts.md).
 * - each window has a gate: zOpen, or its tail gate where higher — the score this series' own
 *   bursts in that window exceed about once in `tailReturnDays` (peaks over a threshold with a
 *   generalised Pareto tail, learnt online; social volumes are heavy-tailed).
 *   The gate counts on the larger of the long-run and the recent (`tailRecentHalfLifeDays`) burst
 *   rate: bursts come in spells, so a bursty spell raises it for a few days.
 * - the bucket fires when some window has z ≥ its gate and X ≥ minCount (the minimum-count guard),
 *   is elevated while z ≥ zClose (hysteresis), and an episode resolves after `resolveAfterSec`
 *   of normal buckets (see episodes.ts).
 * - robust updates: the model learns from x clipped to λ ± clipSigma·sd, so a spike barely moves
 *   the baseline, and the dispersion is not updated while an episode is open. An episode still
 *   open after `rebaselineAfterSec` is taken as a new normal: the level is rescaled to the longest
 *   window, which resolves the episode.
 */
import { closedEpisode, EpisodeEvent, Signal, stepEpisode, type EpisodeState } from "./episodes";

export type Sensitivity = "low" | "medium" | "high";

/**
 * Per sensitivity: the standard score that opens an episode (zOpen) and the alert budget's return
 * period in days (an ordinary day's bursts cross the gate about once in that many days).
 */
export const SENSITIVITY: Record<Sensitivity, { zOpen: number; returnPeriodDays: number }> = {
  low: { zOpen: 6.5, returnPeriodDays: 30 },
  medium: { zOpen: 5, returnPeriodDays: 0 },
  high: { zOpen: 4, returnPeriodDays: 0 },
};

export interface SpikeSettings {
  /** bucket length in seconds: 60 .. 604,800; below a day, a day must be a whole number of buckets */
  bucketSec: number;
  /** standard score that opens an episode */
  zOpen: number;
  /** standard score below which a bucket counts as normal again */
  zClose: number;
  /** least observed count in the firing window (no alert on 3 items, however unusual) */
  minCount: number;
  /** aggregation windows in seconds (each rounded to whole buckets, at least one bucket) */
  windowsSec: readonly number[];
  /** half-life of the level, seconds */
  levelHalfLifeSec: number;
  /** half-life of the daily profile, days */
  profileHalfLifeDays: number;
  /** half-life of the weekly factors, weeks */
  weeklyHalfLifeWeeks: number;
  /** half-life of the dispersion estimate, seconds */
  dispersionHalfLifeSec: number;
  /** updates see x clipped to λ ± clipSigma standard deviations */
  clipSigma: number;
  /** no episode opens before this much history, seconds */
  warmupSec: number;
  /** an episode resolves after this long of normal buckets, seconds (at least one bucket) */
  resolveAfterSec: number;
  /** an episode open this long makes its level the new normal, seconds */
  rebaselineAfterSec: number;
  /** offset of the workspace's local time from UTC in minutes, for day boundaries (east positive) */
  tzOffsetMin: number;
  /**
   * Alert budget: an episode also needs a score above what an ordinary day of this series reaches
   * about once in this many days (a Gumbel return level fitted to the series' own daily maximum
   * scores, see `returnLevel`); 0 turns it off and only zOpen applies.
   */
  returnPeriodDays: number;
  /** how many recent daily maxima the return level is fitted to */
  maximaDays: number;
  /**
   * Tail gate: an episode also needs a score that this series' own bursts exceed about once in
   * this many days, estimated online by peaks over a threshold (see `tailLevel`); 0 turns it off.
   */
  tailReturnDays: number;
  /** half-life of the tail gate's estimates (rate and mean size of bursts), days */
  tailHalfLifeDays: number;
  /**
   * half-life of the tail gate's recent burst rate, days: the gate counts on the larger of the
   * long-run rate (`tailHalfLifeDays`) and this one, so a bursty spell raises it; 0 turns it off
   */
  tailRecentHalfLifeDays: number;
}

/**
 * The one default setting, used for every series. Chosen on generated series
 * (`npm run tune:alerts`, bench/support/alert-series.ts), except the tail gate's recent burst
 * rate, kept by leave-one-file-out cross-validation on the NAB series (`npm run cv:alerts`); see
 * docs/alerts.md for why each value.
 */
export const DEFAULT_SPIKE_SETTINGS: SpikeSettings = {
  bucketSec: 300,
  zOpen: SENSITIVITY.medium.zOpen,
  zClose: 2,
  minCount: 10,
  windowsSec: [300, 900, 3_600, 10_800],
  levelHalfLifeSec: 2 * 86_400,
  profileHalfLifeDays: 7,
  weeklyHalfLifeWeeks: 3,
  dispersionHalfLifeSec: 7 * 86_400,
  clipSigma: 3,
  warmupSec: 86_400,
  resolveAfterSec: 3 * 3_600,
  rebaselineAfterSec: 12 * 3_600,
  tzOffsetMin: 0,
  returnPeriodDays: SENSITIVITY.medium.returnPeriodDays,
  maximaDays: 28,
  tailReturnDays: 7,
  tailHalfLifeDays: 14,
  tailRecentHalfLifeDays: 3,
};

/** Settings for a rule: defaults, its bucket length and sensitivity, and any overrides. */
export function spikeSettingsOf(bucketSec: number, sensitivity: Sensitivity = "medium", overrides: Partial<SpikeSettings> = {}): SpikeSettings {
  return { ...DEFAULT_SPIKE_SETTINGS, bucketSec, ...SENSITIVITY[sensitivity], ...overrides };
}

/** What the detector made of the last bucket (read after `push`). */
export interface SpikeReading {
  event: EpisodeEvent;
  signal: Signal;
  /** the observed count of the bucket */
  value: number;
  /** expected count of the bucket */
  expected: number;
  /** the normal band of the bucket: expected ± zClose standard deviations (lower ≥ 0) */
  lower: number;
  upper: number;
  /** the highest standard score over the windows (negative: below expected) */
  z: number;
  /** the window (seconds) with that score, and its observed and expected sums */
  windowSec: number;
  windowValue: number;
  windowExpected: number;
  /** the score that window needs to open an episode: zOpen, or its tail gate (or alert budget) when higher */
  gate: number;
}

const DAY_SEC = 86_400;

/** Serialisable state: plain numbers and arrays (JSON / BSON friendly). */
export interface SpikeState {
  v: 1;
  settings: SpikeSettings;
  seen: number;
  firstTs: number | null;
  lastTs: number | null;
  lNum: number;
  lDen: number;
  pNum: number[];
  pDen: number[];
  /** the normalised profile and weekly factors in use (renormalised at slot and weekday changes) */
  prof: number[];
  profSlot: number;
  wNum: number[];
  wDen: number[];
  week: number[];
  weekDay: number;
  d: number;
  phi: number;
  m: [number, number, number, number];
  /** per window: its own dispersion fit (4 moments per window, as `m`, then d and φ per window) */
  disp?: { m: number[]; d: number[]; phi: number[] };
  ringX: number[];
  ringL: number[];
  /** running window sums (kept, not recomputed, so a restored detector is bit-identical) */
  sumX: number[];
  sumL: number[];
  pos: number;
  episode: EpisodeState;
  day: number | null;
  dayMax: number | null;
  dayBuckets: number;
  maxima: number[];
  maximaPos: number;
  /** tail gate, per window: warm buckets counted, weighted rate of bursts, weighted mean excess × rate, the running burst's peak; the recent rate */
  tail?: { n: number; rate: number[]; excess: number[]; excess2: number[]; run: (number | null)[]; gate: (number | null)[]; recent?: number[] };
}

export class SpikeDetector {
  readonly settings: SpikeSettings;
  // derived
  private readonly bucketMs: number;
  private readonly slots: number;
  private readonly slotSec: number;
  private readonly windows: Int32Array;
  private readonly ringSize: number;
  private readonly aL: number;
  private readonly aP: number;
  private readonly aW: number;
  private readonly aD: number;
  private readonly warmupBuckets: number;
  private readonly resolveAfter: number;
  private readonly rebaselineAfter: number;
  private readonly tzOffsetSec: number;
  // state
  private seen = 0;
  private firstTs: number | null = null;
  private lastTs: number | null = null;
  private lNum = 0;
  private lDen = 0;
  private readonly pNum: Float64Array;
  private readonly pDen: Float64Array;
  private readonly prof: Float64Array; // normalised daily profile
  private profSlot = -1;
  private readonly wNum = new Float64Array(7);
  private readonly wDen = new Float64Array(7);
  private readonly week = new Float64Array(7).fill(1); // normalised weekly factors
  private weekDay = -1;
  private d = 1;
  private phi = 0;
  // exponentially weighted moments of λ, λ², p², p²·λ (p the Pearson residual)
  private readonly m = new Float64Array(4);
  // the same per window, from its sums X and Λ (4 moments per window)
  private readonly mW: Float64Array;
  private readonly dW: Float64Array;
  private readonly phiW: Float64Array;
  private readonly ringX: Float64Array;
  private readonly ringL: Float64Array;
  private pos = 0;
  private readonly sumX: Float64Array;
  private readonly sumL: Float64Array;
  private readonly episode: EpisodeState = closedEpisode();
  // alert budget: recent daily maxima of the firing score, and the gate they give
  private day = Number.NaN;
  private dayMax = -Infinity;
  private dayBuckets = 0;
  private readonly maxima: Float64Array;
  private maximaCount = 0;
  private maximaPos = 0;
  private budget: number; // the alert budget's gate (daily maxima), or zOpen
  // tail gate: bursts of the firing score above TAIL_FROM_Z, declustered (one per run of buckets)
  private readonly aT: number;
  private readonly tailPeriod: number; // return period in buckets
  // one tail per window: a 5-minute window's scores have a heavier tail (single cascades) than a 3-hour one's
  private tN = 0;
  private readonly tRate: Float64Array;
  private readonly aTR: number; // weight of the recent burst rate (0: off)
  private readonly tRateR: Float64Array;
  private readonly tExcess: Float64Array;
  private readonly tExcess2: Float64Array;
  private readonly tRun: Float64Array;
  private readonly tailGate: Float64Array;
  /** the last bucket's reading; overwritten by each push */
  readonly last: SpikeReading = {
    event: EpisodeEvent.None, signal: Signal.Normal, value: 0, expected: 0, lower: 0, upper: 0,
    z: 0, windowSec: 0, windowValue: 0, windowExpected: 0, gate: 0,
  };

  constructor(settings: SpikeSettings = DEFAULT_SPIKE_SETTINGS) {
    checkSettings(settings);
    this.settings = settings;
    const b = settings.bucketSec;
    this.bucketMs = b * 1000;
    this.slots = Math.max(1, Math.min(24, Math.floor(DAY_SEC / b)));
    this.slotSec = DAY_SEC / this.slots;
    const ws = [...new Set(settings.windowsSec.map((s) => Math.max(1, Math.round(s / b))))].sort((x, y) => x - y);
    this.windows = Int32Array.from(ws);
    this.ringSize = ws[ws.length - 1]!;
    this.ringX = new Float64Array(this.ringSize);
    this.ringL = new Float64Array(this.ringSize);
    this.sumX = new Float64Array(ws.length);
    this.sumL = new Float64Array(ws.length);
    this.mW = new Float64Array(4 * ws.length);
    this.dW = new Float64Array(ws.length).fill(1);
    this.phiW = new Float64Array(ws.length);
    this.pNum = new Float64Array(this.slots);
    this.pDen = new Float64Array(this.slots);
    this.prof = new Float64Array(this.slots).fill(1);
    const perHalfLife = (buckets: number) => 1 - Math.pow(2, -1 / Math.max(1, buckets));
    this.aL = perHalfLife(settings.levelHalfLifeSec / b);
    // a profile slot is visited slotSec / b times a day; a weekday DAY_SEC / b times a week
    this.aP = perHalfLife(settings.profileHalfLifeDays * Math.max(1, this.slotSec / b));
    this.aW = perHalfLife(settings.weeklyHalfLifeWeeks * (DAY_SEC / b));
    this.aD = perHalfLife(settings.dispersionHalfLifeSec / b);
    this.warmupBuckets = Math.ceil(settings.warmupSec / b);
    this.resolveAfter = Math.max(1, Math.round(settings.resolveAfterSec / b));
    this.rebaselineAfter = Math.max(1, Math.round(settings.rebaselineAfterSec / b));
    this.tzOffsetSec = settings.tzOffsetMin * 60;
    this.maxima = new Float64Array(Math.max(1, settings.maximaDays));
    this.budget = settings.zOpen;
    this.aT = perHalfLife(settings.tailHalfLifeDays * (DAY_SEC / b));
    this.tailPeriod = settings.tailReturnDays * (DAY_SEC / b);
    this.tRate = new Float64Array(ws.length);
    this.aTR = settings.tailRecentHalfLifeDays > 0 ? perHalfLife(settings.tailRecentHalfLifeDays * (DAY_SEC / b)) : 0;
    this.tRateR = new Float64Array(ws.length);
    this.tExcess = new Float64Array(ws.length);
    this.tExcess2 = new Float64Array(ws.length);
    this.tRun = new Float64Array(ws.length).fill(-Infinity);
    this.tailGate = new Float64Array(ws.length).fill(-Infinity);
  }

  /** The lowest score an episode needs now, over the windows: zOpen, or higher where a gate is. */
  get threshold(): number {
    return Math.min(...this.windowGates.map((g) => g.gate));
  }

  /** Per window (seconds): the score it needs to open an episode now (zOpen, the alert budget or its tail gate). */
  get windowGates(): { windowSec: number; gate: number }[] {
    return Array.from(this.windows, (w, j) => ({
      windowSec: w * this.settings.bucketSec,
      gate: Math.max(this.budget, this.tailGate[j]!),
    }));
  }

  /** Whether an episode is open after the last bucket. */
  get open(): boolean {
    return this.episode.open;
  }

  /** Timestamp (ms) of the last bucket pushed, or null. */
  get lastTimestamp(): number | null {
    return this.lastTs;
  }

  /**
   * Scores the bucket starting at `tsMs` (count `x` ≥ 0, exposure `n` > 0; n = 0 means no data:
   * nothing is learnt and the bucket is normal) against the model, then learns from it. Buckets
   * must come in increasing time order; a bucket at or before the last one is ignored (returns
   * `EpisodeEvent.None`, `last` unchanged), so a redelivered bucket cannot count twice. Missing
   * buckets are simply not learnt from (feed zeros explicitly for an empty bucket of a count).
   * Returns the episode event; details are in `last`.
   */
  push(tsMs: number, x: number, n = 1): EpisodeEvent {
    if (this.lastTs !== null && tsMs <= this.lastTs) return EpisodeEvent.None;
    if (this.firstTs === null) this.firstTs = tsMs;
    this.lastTs = tsMs;
    const local = tsMs / 1000 + this.tzOffsetSec;
    const sod = ((local % DAY_SEC) + DAY_SEC) % DAY_SEC;
    const dayNo = Math.floor(local / DAY_SEC);
    const dow = (((dayNo + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday

    if (dayNo !== this.day) {
      this.closeDay();
      this.day = dayNo;
    }
    if (dow !== this.weekDay) {
      this.weekDay = dow;
      this.normaliseWeek();
    }
    // daily profile, linearly interpolated between slot centres
    const p = sod / this.slotSec - 0.5;
    let i0 = Math.floor(p);
    const f = p - i0;
    i0 = (i0 + this.slots) % this.slots;
    const i1 = i0 + 1 === this.slots ? 0 : i0 + 1;
    if (i0 !== this.profSlot) {
      this.profSlot = i0;
      this.normaliseProfile();
    }
    const prof = this.prof;
    const dailyF = prof[i0]! * (1 - f) + prof[i1]! * f;
    const weekF = this.week[dow]!;
    const seas = dailyF * weekF;
    const level = this.lDen > 0 ? this.lNum / this.lDen : x / (n > 0 ? n : 1);
    const lam = n * level * seas;

    // windows: push into the ring, update running sums
    const R = this.ringSize;
    const ws = this.windows;
    for (let j = 0; j < ws.length; j++) {
      const out = (this.pos - ws[j]! + R) % R;
      this.sumX[j] = this.sumX[j]! + x - this.ringX[out]!;
      this.sumL[j] = this.sumL[j]! + lam - this.ringL[out]!;
    }
    this.ringX[this.pos] = x;
    this.ringL[this.pos] = lam;
    this.pos = this.pos + 1 === R ? 0 : this.pos + 1;

    // score
    const warm = this.seen >= this.warmupBuckets && n > 0;
    let zAll = -Infinity;
    let zFire = -Infinity;
    let firing = false;
    let best = 0;
    let bestGate = this.budget;
    const filled = this.seen + 1;
    // the tail gate learns from warm buckets, each window in the same pass, after its gate was used
    const learnTail = warm && this.tailPeriod > 0;
    let tailA = 0;
    let refit = false;
    if (learnTail) {
      this.tN++;
      tailA = Math.max(this.aT, 1 / this.tN);
      refit = this.tN % TAIL_REFIT === 0;
    }
    for (let j = 0; j < ws.length; j++) {
      let zj = -Infinity; // this window's firing score (none below minCount)
      const tg = this.tailGate[j]!;
      const gate = this.budget > tg ? this.budget : tg;
      if (ws[j]! <= filled) {
        const X = this.sumX[j]!;
        const L = this.sumL[j]! > 1e-9 ? this.sumL[j]! : 1e-9;
        // the window's own dispersion, at most the bucket's taken as fully correlated
        const vOwn = this.dW[j]! + this.phiW[j]! * L;
        const vMax = this.d + this.phi * L;
        const z = signedRootDeviance(X, L) / Math.sqrt(vOwn < vMax ? vOwn : vMax);
        if (z > zAll) {
          zAll = z;
          best = j;
          bestGate = gate;
        }
        if (X >= this.settings.minCount) {
          zj = z;
          if (z > zFire) zFire = z;
          if (z >= gate) firing = true;
        }
      }
      if (learnTail) this.learnTail(j, zj, tailA, refit);
    }
    const signal: Signal = !warm
      ? Signal.Normal
      : firing
        ? Signal.Firing
        : zAll >= this.settings.zClose
          ? Signal.Elevated
          : Signal.Normal;
    const event = stepEpisode(this.episode, signal, this.resolveAfter);

    const sd = Math.sqrt(lam * (this.d + this.phi * lam));
    const r = this.last;
    r.event = event;
    r.signal = signal;
    r.value = x;
    r.expected = lam;
    r.lower = Math.max(0, lam - this.settings.zClose * sd);
    r.upper = lam + this.settings.zClose * sd;
    r.z = zAll === -Infinity ? 0 : zAll;
    r.windowSec = ws[best]! * this.settings.bucketSec;
    r.windowValue = this.sumX[best]!;
    r.windowExpected = this.sumL[best]!;
    r.gate = bestGate;

    if (warm) {
      this.dayBuckets++;
      if (zFire > this.dayMax) this.dayMax = zFire;
    }

    // learn
    this.seen++;
    if (n > 0) this.learn(x, n, lam, level, dailyF, weekF, i0, f, dow);
    if (this.episode.open && this.episode.age >= this.rebaselineAfter) this.rebaseline();
    return event;
  }

  private learn(x: number, n: number, lam: number, level: number, dailyF: number, weekF: number, i0: number, f: number, dow: number): void {
    const c = this.settings.clipSigma;
    const lamFloor = lam > 1 ? lam : 1; // clip as if at least one item were expected
    const sdc = Math.sqrt(lamFloor * (this.d + this.phi * lamFloor));
    const xc = x > lam + c * sdc ? lam + c * sdc : x < lam - c * sdc ? lam - c * sdc : x;
    // level: a ratio of exponentially weighted sums, i.e. a weighted mean of de-seasonalised counts
    // per unit of exposure. Numerator and denominator start at 0 alike, so the ratio carries no
    // bias towards the start (no warm-up correction needed).
    const seas = dailyF * weekF;
    this.lNum += this.aL * ((seas > 0 ? xc / seas : 0) - this.lNum);
    this.lDen += this.aL * (n - this.lDen);
    // daily profile: this bucket's level relative to the level, shared by the two nearest slots
    if (this.slots > 1 && level > 0 && weekF > 0) {
      const ratio = xc / (level * weekF);
      const i1 = i0 + 1 === this.slots ? 0 : i0 + 1;
      this.updateSlot(this.pNum, this.pDen, i0, this.aP * (1 - f), ratio, n);
      this.updateSlot(this.pNum, this.pDen, i1, this.aP * f, ratio, n);
    }
    if (this.settings.bucketSec < 7 * DAY_SEC && level > 0 && dailyF > 0) {
      this.updateSlot(this.wNum, this.wDen, dow, this.aW, xc / (level * dailyF), n);
    }
    // dispersion, from buckets outside episodes only
    if (!this.episode.open) {
      const a = Math.max(this.aD, 1 / (this.seen + 1));
      fitDispersion(this.m, 0, x, lam, this.d, this.phi, a);
      this.phi = dispersionPhi(this.m, 0);
      this.d = dispersionD(this.m, 0, this.phi);
      const ws = this.windows;
      for (let j = 0; j < ws.length; j++) {
        if (ws[j]! > this.seen) continue; // the window is not full yet
        fitDispersion(this.mW, 4 * j, this.sumX[j]!, this.sumL[j]!, this.dW[j]!, this.phiW[j]!, a);
        this.phiW[j] = dispersionPhi(this.mW, 4 * j);
        this.dW[j] = dispersionD(this.mW, 4 * j, this.phiW[j]!);
      }
    }
  }

  /**
   * Peaks over a threshold, for window j: a burst is a run of buckets whose firing score `z`
   * exceeds TAIL_FROM_Z, counted once with its peak. Exponentially weighted (weight `a`), we keep
   * the rate of bursts per bucket and the first two moments of their excesses; `tailLevel` turns
   * them into the gate. Each excess is capped at TAIL_CAP mean excesses so one huge anomaly does
   * not blind the gate for weeks.
   */
  private learnTail(j: number, z: number, a: number, refit: boolean): void {
    let event = 0;
    let excess = 0;
    const run = this.tRun[j]!;
    if (z > TAIL_FROM_Z) {
      if (z > run) this.tRun[j] = z;
    } else if (run > TAIL_FROM_Z) {
      const sigma = this.tRate[j]! > 0 ? this.tExcess[j]! / this.tRate[j]! : 1;
      event = 1;
      excess = Math.min(run - TAIL_FROM_Z, TAIL_CAP * sigma);
      this.tRun[j] = -Infinity;
    }
    this.tRate[j] = this.tRate[j]! + a * (event - this.tRate[j]!);
    if (this.aTR > 0) {
      const aR = a > this.aTR ? a : this.aTR;
      this.tRateR[j] = this.tRateR[j]! + aR * (event - this.tRateR[j]!);
    }
    this.tExcess[j] = this.tExcess[j]! + a * (excess - this.tExcess[j]!);
    this.tExcess2[j] = this.tExcess2[j]! + a * (excess * excess - this.tExcess2[j]!);
    // the gate moves slowly between bursts: refit it when a burst ends and every TAIL_REFIT buckets
    if (event || refit) this.tailGate[j] = this.tailLevel(j);
  }

  /**
   * The level bursts of window j exceed about once in `tailReturnDays`: excesses over TAIL_FROM_Z
   * taken as generalised Pareto (fitted by moments), k bursts expected in that time, the level is
   * u + σ/ξ·(k^ξ − 1) (u + σ·ln k for ξ = 0). −Infinity (no gate) before a day of history.
   * k counts on the larger of the long-run and the recent burst rate: bursts come in spells (one
   * story brings follow-ups for days), so during a bursty spell the next burst is less surprising.
   */
  private tailLevel(j: number): number {
    const rate = this.tRate[j]!;
    const recent = this.tRateR[j]!;
    if (this.tN < DAY_SEC / this.settings.bucketSec || !(rate > 0)) return -Infinity;
    // generalised Pareto by moments of the excesses: mean m, variance v; shape ξ = (1 − m²/v)/2
    const m = this.tExcess[j]! / rate;
    const v = this.tExcess2[j]! / rate - m * m;
    let xi = v > 0 ? 0.5 * (1 - (m * m) / v) : 0;
    xi = xi < 0 ? 0 : xi > TAIL_MAX_SHAPE ? TAIL_MAX_SHAPE : xi;
    const sigma = m * (1 - xi);
    const k = (this.aTR > 0 && recent > rate ? recent : rate) * this.tailPeriod;
    if (!(k > 1)) return -Infinity;
    return TAIL_FROM_Z + (xi > 1e-6 ? (sigma / xi) * (Math.pow(k, xi) - 1) : sigma * Math.log(k));
  }

  /** A local day ended: keep its maximum firing score (if the day was mostly observed) and refit the gate. */
  private closeDay(): void {
    const perDay = DAY_SEC / this.settings.bucketSec;
    if (this.settings.returnPeriodDays > 0 && this.dayBuckets >= perDay / 2) {
      // a day whose windows never held minCount items had no firing score: it counts as quiet (0)
      this.maxima[this.maximaPos] = this.dayMax > 0 ? this.dayMax : 0;
      this.maximaPos = (this.maximaPos + 1) % this.maxima.length;
      if (this.maximaCount < this.maxima.length) this.maximaCount++;
      const level = returnLevel(this.maxima.subarray(0, this.maximaCount), this.settings.returnPeriodDays);
      this.budget = level > this.settings.zOpen ? level : this.settings.zOpen;
    }
    this.dayMax = -Infinity;
    this.dayBuckets = 0;
  }

  private updateSlot(num: Float64Array, den: Float64Array, i: number, a: number, ratio: number, n: number): void {
    if (a <= 0) return;
    // ratio = count / (level · other factor), n = exposure: num / den is the exposure-weighted factor
    num[i] = num[i]! + a * (ratio - num[i]!);
    den[i] = den[i]! + a * (n - den[i]!);
  }

  private normaliseProfile(): void {
    let sum = 0;
    let k = 0;
    for (let i = 0; i < this.slots; i++) {
      if (this.pDen[i]! > 0) {
        sum += this.pNum[i]! / this.pDen[i]!;
        k++;
      }
    }
    const mean = k > 0 && sum > 0 ? sum / k : 1;
    for (let i = 0; i < this.slots; i++) {
      this.prof[i] = this.pDen[i]! > 0 ? Math.max(this.pNum[i]! / this.pDen[i]! / mean, 0.01) : 1;
    }
  }

  private normaliseWeek(): void {
    let sum = 0;
    let k = 0;
    for (let i = 0; i < 7; i++) {
      if (this.wDen[i]! > 0) {
        sum += this.wNum[i]! / this.wDen[i]!;
        k++;
      }
    }
    // until every weekday has been seen the factors stay 1 (a partial week says nothing of the others)
    if (k < 7 || !(sum > 0)) return;
    for (let i = 0; i < 7; i++) this.week[i] = Math.max((this.wNum[i]! / this.wDen[i]!) / (sum / 7), 0.01);
  }

  /** The open episode is the new normal: scale the level (and the recent expectations) to the longest window. */
  private rebaseline(): void {
    const j = this.windows.length - 1;
    const X = this.sumX[j]!;
    const L = this.sumL[j]!;
    if (!(L > 0)) return;
    const k = Math.max(X, 1) / L;
    this.lNum *= k;
    for (let i = 0; i < this.ringSize; i++) this.ringL[i] = this.ringL[i]! * k;
    for (let w = 0; w < this.sumL.length; w++) this.sumL[w] = this.sumL[w]! * k;
    // the episode ends here: the next normal buckets resolve it
    this.episode.age = 0;
  }

  toState(): SpikeState {
    return {
      v: 1,
      settings: this.settings,
      seen: this.seen,
      firstTs: this.firstTs,
      lastTs: this.lastTs,
      lNum: this.lNum,
      lDen: this.lDen,
      pNum: Array.from(this.pNum),
      pDen: Array.from(this.pDen),
      prof: Array.from(this.prof),
      profSlot: this.profSlot,
      wNum: Array.from(this.wNum),
      wDen: Array.from(this.wDen),
      week: Array.from(this.week),
      weekDay: this.weekDay,
      d: this.d,
      phi: this.phi,
      m: [this.m[0]!, this.m[1]!, this.m[2]!, this.m[3]!],
      disp: { m: Array.from(this.mW), d: Array.from(this.dW), phi: Array.from(this.phiW) },
      ringX: Array.from(this.ringX),
      ringL: Array.from(this.ringL),
      sumX: Array.from(this.sumX),
      sumL: Array.from(this.sumL),
      pos: this.pos,
      episode: { ...this.episode },
      // NaN and -Infinity are not JSON: stored as null
      day: Number.isNaN(this.day) ? null : this.day,
      dayMax: this.dayMax === -Infinity ? null : this.dayMax,
      dayBuckets: this.dayBuckets,
      maxima: Array.from(this.maxima.subarray(0, this.maximaCount)),
      maximaPos: this.maximaPos,
      tail: { n: this.tN, rate: Array.from(this.tRate), excess: Array.from(this.tExcess), excess2: Array.from(this.tExcess2), run: Array.from(this.tRun, (z) => (z === -Infinity ? null : z)), gate: Array.from(this.tailGate, (z) => (z === -Infinity ? null : z)), recent: Array.from(this.tRateR) },
    };
  }

  static fromState(s: SpikeState): SpikeDetector {
    // a state stored before a setting existed gets that setting's default
    const det = new SpikeDetector({ ...DEFAULT_SPIKE_SETTINGS, ...s.settings });
    if (s.v !== 1 || s.pNum.length !== det.slots || s.ringX.length !== det.ringSize || s.sumX.length !== det.windows.length) {
      throw new RangeError("spike detector state does not match its settings");
    }
    det.seen = s.seen;
    det.firstTs = s.firstTs;
    det.lastTs = s.lastTs;
    det.lNum = s.lNum;
    det.lDen = s.lDen;
    det.pNum.set(s.pNum);
    det.pDen.set(s.pDen);
    det.prof.set(s.prof);
    det.profSlot = s.profSlot;
    det.wNum.set(s.wNum);
    det.wDen.set(s.wDen);
    det.week.set(s.week);
    det.weekDay = s.weekDay;
    det.d = s.d;
    det.phi = s.phi;
    det.m.set(s.m);
    det.ringX.set(s.ringX);
    det.ringL.set(s.ringL);
    det.pos = s.pos;
    Object.assign(det.episode, s.episode);
    det.day = s.day ?? Number.NaN;
    det.dayMax = s.dayMax ?? -Infinity;
    det.dayBuckets = s.dayBuckets;
    det.maxima.set(s.maxima.slice(0, det.maxima.length));
    det.maximaCount = Math.min(s.maxima.length, det.maxima.length);
    det.maximaPos = s.maximaPos % det.maxima.length;
    const level = returnLevel(det.maxima.subarray(0, det.maximaCount), s.settings.returnPeriodDays);
    det.budget = s.settings.returnPeriodDays > 0 && level > s.settings.zOpen ? level : s.settings.zOpen;
    if (s.disp && s.disp.d.length === det.windows.length) {
      det.mW.set(s.disp.m);
      det.dW.set(s.disp.d);
      det.phiW.set(s.disp.phi);
    } else {
      // a state stored before the per-window fit: start each window at the bucket's dispersion
      // (the previous rule, fully correlated); its own fit takes over within the half-life
      det.dW.fill(s.d);
      det.phiW.fill(s.phi);
    }
    if (s.tail) {
      det.tN = s.tail.n;
      det.tRate.set(s.tail.rate);
      det.tExcess.set(s.tail.excess);
      det.tExcess2.set(s.tail.excess2);
      det.tRun.set(s.tail.run.map((z) => z ?? -Infinity));
      det.tailGate.set(s.tail.gate.map((z) => z ?? -Infinity));
      // a state stored before the recent rate: it starts at the long-run rate
      det.tRateR.set(s.tail.recent ?? s.tail.rate);
    }
    det.sumX.set(s.sumX);
    det.sumL.set(s.sumL);
    return det;
  }
}

/**
 * One step of the moving regression of squared Pearson residuals p² = (x − λ)²/λ on λ, whose
 * intercept and slope are the dispersion (d, φ): exponentially weighted moments of λ, λ², p²,
 * p²·λ in `m`. A residual is capped at 4 standard deviations (p² ≤ 16·(d + φλ)) so one
 * burst cannot inflate the variance for weeks.
 */
function fitDispersion(m: Float64Array, o: number, x: number, lam: number, d: number, phi: number, a: number): void {
  const lamP = lam > 1e-3 ? lam : 1e-3;
  const cap = 16 * (d + phi * lamP);
  let p2 = ((x - lam) * (x - lam)) / lamP;
  if (p2 > cap) p2 = cap;
  m[o] = m[o]! + a * (lamP - m[o]!);
  m[o + 1] = m[o + 1]! + a * (lamP * lamP - m[o + 1]!);
  m[o + 2] = m[o + 2]! + a * (p2 - m[o + 2]!);
  m[o + 3] = m[o + 3]! + a * (p2 * lamP - m[o + 3]!);
}

/** φ of the moments at `o` in `m` (see fitDispersion). */
function dispersionPhi(m: Float64Array, o: number): number {
  const varL = m[o + 1]! - m[o]! * m[o]!;
  const cov = m[o + 3]! - m[o + 2]! * m[o]!;
  const phi = cov / (varL + 0.05 * m[o]! * m[o]! + 1e-12);
  return !(phi > 0) ? 0 : phi > 1 ? 1 : phi;
}

function dispersionD(m: Float64Array, o: number, phi: number): number {
  const d = m[o + 2]! - phi * m[o]!;
  return d > 1 ? d : 1;
}

/**
 * Signed square root of the Poisson deviance of observing `x` when `lambda` (> 0) was expected:
 * ±√(2·(x·ln(x/λ) − (x − λ))), positive when x > λ. Approximately standard normal under a Poisson
 * model, and far more accurate in the tail than (x − λ)/√λ at small λ.
 */
export function signedRootDeviance(x: number, lambda: number): number {
  if (x <= 0) return -Math.sqrt(2 * lambda);
  const dev = 2 * (x * Math.log(x / lambda) - (x - lambda));
  const r = dev > 0 ? Math.sqrt(dev) : 0;
  return x >= lambda ? r : -r;
}

function checkSettings(s: SpikeSettings): void {
  const bad = (what: string) => {
    throw new RangeError(`spike settings: ${what}`);
  };
  if (!(s.bucketSec >= 60 && s.bucketSec <= 7 * DAY_SEC)) bad("bucketSec must be 60 .. 604800");
  if (s.bucketSec < DAY_SEC && DAY_SEC % s.bucketSec !== 0) bad("a day must be a whole number of buckets");
  if (!(s.zOpen > s.zClose)) bad("zOpen must be above zClose");
  if (!(s.minCount >= 0)) bad("minCount must be ≥ 0");
  if (s.windowsSec.length === 0 || s.windowsSec.length > 8) bad("1 to 8 windows");
  if (Math.max(...s.windowsSec) / s.bucketSec > 10_000) bad("windows longer than 10,000 buckets");
  if (!(s.tailReturnDays >= 0)) bad("tailReturnDays must be ≥ 0 (0 turns the tail gate off)");
  if (!(s.tailRecentHalfLifeDays >= 0)) bad("tailRecentHalfLifeDays must be ≥ 0 (0 turns the recent rate off)");
  for (const k of ["levelHalfLifeSec", "profileHalfLifeDays", "weeklyHalfLifeWeeks", "dispersionHalfLifeSec", "clipSigma", "tailHalfLifeDays"] as const) {
    if (!(s[k] > 0)) bad(`${k} must be > 0`);
  }
}

/** Scores above this start a burst for the tail gate (well inside the normal band's tail, far below zOpen). */
export const TAIL_FROM_Z = 3;
/** How often (in buckets) the tail gate is refitted between bursts. */
export const TAIL_REFIT = 12;
/** Upper bound of the tail's shape (0: exponential; larger: a power law, heavier with each step). */
export const TAIL_MAX_SHAPE = 0.45;
/** Largest excess a single burst adds to the tail gate, in mean excesses. */
export const TAIL_CAP = 10;

/** Fewest daily maxima the return level is fitted to; before that it is -Infinity (zOpen alone decides). */
export const MIN_MAXIMA = 5;

/**
 * The level an ordinary day's maximum score exceeds about once in `periodDays` days: a Gumbel
 * distribution (the extreme-value law of daily maxima) fitted robustly to `maxima` by its median
 * and interquartile range (Gumbel quantile Q(p) = μ − β·ln(−ln p): IQR = 1.5725·β, median =
 * μ + 0.3665·β), then Q(1 − 1/periodDays). Robust, so a few anomalous days barely move it.
 * Returns -Infinity with fewer than MIN_MAXIMA values.
 */
export function returnLevel(maxima: ArrayLike<number>, periodDays: number): number {
  if (maxima.length < MIN_MAXIMA) return -Infinity;
  const xs = Array.from(maxima).sort((a, b) => a - b);
  const q = (p: number) => {
    const h = (xs.length - 1) * p;
    const lo = Math.floor(h);
    return xs[lo]! + (h - lo) * ((xs[Math.min(lo + 1, xs.length - 1)] ?? xs[lo]!) - xs[lo]!);
  };
  const beta = (q(0.75) - q(0.25)) / 1.5725;
  const mu = q(0.5) - 0.3665 * beta;
  return mu - beta * Math.log(-Math.log(1 - 1 / periodDays));
}
