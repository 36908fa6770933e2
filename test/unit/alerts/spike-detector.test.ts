import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EpisodeEvent, Signal } from "../../../shared/domain/alerts/episodes";
import {
  DEFAULT_SPIKE_SETTINGS, SpikeDetector, returnLevel, signedRootDeviance, spikeSettingsOf,
} from "../../../shared/domain/alerts/spike-detector";
import { alertRowsOf } from "../../../shared/domain/alerts/replay";
import { seededRandom } from "../../../bench/support/seeded-random";

// 17 days of 5-minute counts with a daily cycle, weekends and a trend, and a 2-hour spike added
// on 2026-03-17 at 14:00 UTC (test/fixtures/alerts/README.md).
const rows = readFileSync(new URL("../../fixtures/alerts/generated-spike.csv", import.meta.url), "utf8")
  .trim().split("\n").slice(1).map((l) => l.split(","));
const times = rows.map((r) => Date.parse(r[0]!));
const withSpike = rows.map((r) => Number(r[1]));
const withoutSpike = rows.map((r) => Number(r[1]) - Number(r[2]));
const onset = rows.findIndex((r) => Number(r[2]) > 0);
const spikeEnd = rows.length - 1 - [...rows].reverse().findIndex((r) => Number(r[2]) > 0);

function run(values: number[], det = new SpikeDetector()) {
  const events: { i: number; event: number; reading: typeof det.last }[] = [];
  values.forEach((v, i) => {
    const e = det.push(times[i]!, v);
    if (e === EpisodeEvent.Opened || e === EpisodeEvent.Resolved) events.push({ i, event: e, reading: { ...det.last } });
  });
  return events;
}

describe("spike detector", () => {
  it("the fixture has its spike where the README says", () => {
    expect(rows[onset]![0]).toBe("2026-03-17T14:00:00Z");
    expect(spikeEnd - onset).toBeLessThan(24);
  });

  it("a spike injected into a generated seasonal series opens exactly one episode and resolves it", () => {
    const events = run(withSpike);
    expect(events.map((e) => e.event)).toEqual([EpisodeEvent.Opened, EpisodeEvent.Resolved]);
    const [open, resolved] = events;
    // opens within 15 minutes of the onset, with what it saw and expected
    expect(open!.i).toBeGreaterThanOrEqual(onset);
    expect(open!.i).toBeLessThanOrEqual(onset + 3);
    expect(open!.reading.value).toBe(withSpike[open!.i]);
    expect(open!.reading.value).toBeGreaterThan(open!.reading.upper);
    expect(open!.reading.expected).toBeGreaterThan(open!.reading.lower);
    expect(open!.reading.z).toBeGreaterThanOrEqual(DEFAULT_SPIKE_SETTINGS.zOpen);
    expect(open!.reading.gate).toBeGreaterThanOrEqual(DEFAULT_SPIKE_SETTINGS.zOpen);
    expect(open!.reading.z).toBeGreaterThanOrEqual(open!.reading.gate);
    // resolves once the series has been normal for resolveAfterSec (and not before the spike ended)
    expect(resolved!.i).toBeGreaterThan(spikeEnd);
    expect(resolved!.i).toBeLessThan(spikeEnd + 12 * 12);
  });

  it("the same series without the spike opens nothing: daily cycle, weekends and trend are expected", () => {
    expect(run(withoutSpike)).toEqual([]);
  });

  it("stays one episode while the anomaly lasts: only Opened notifies, then Ongoing", () => {
    const det = new SpikeDetector();
    const seen: number[] = [];
    withSpike.forEach((v, i) => {
      const e = det.push(times[i]!, v);
      if (i >= onset && i <= spikeEnd) seen.push(e);
    });
    expect(seen.filter((e) => e === EpisodeEvent.Opened)).toHaveLength(1);
    expect(seen.filter((e) => e === EpisodeEvent.None || e === EpisodeEvent.Resolved)).toHaveLength(0);
  });

  it("a redelivered or older bucket is ignored and changes nothing", () => {
    const a = new SpikeDetector();
    const b = new SpikeDetector();
    withSpike.forEach((v, i) => {
      a.push(times[i]!, v);
      b.push(times[i]!, v);
      if (i % 97 === 0) {
        expect(b.push(times[i]!, v * 10)).toBe(EpisodeEvent.None);
        if (i > 0) b.push(times[i - 1]!, 0);
      }
    });
    expect(b.toState()).toEqual(a.toState());
  });

  it("state stored as JSON and restored continues exactly as if never stopped", () => {
    const whole = new SpikeDetector();
    const wholeEvents = withSpike.map((v, i) => whole.push(times[i]!, v));
    let det = new SpikeDetector();
    const events: number[] = [];
    withSpike.forEach((v, i) => {
      events.push(det.push(times[i]!, v));
      if (i % 500 === 250) det = SpikeDetector.fromState(JSON.parse(JSON.stringify(det.toState())));
    });
    expect(events).toEqual(wholeEvents);
    expect(det.toState()).toEqual(whole.toState());
  });

  it("minimum-count guard: a quiet series jumping from ~0.2 to 6 items is unusual but not an alert", () => {
    const det = new SpikeDetector();
    const t0 = Date.UTC(2026, 2, 2);
    let opened = 0;
    for (let i = 0; i < 4 * 288; i++) {
      const x = i % 5 === 0 ? 1 : 0; // 0.2 per bucket
      const burst = i === 3 * 288 + 100 ? 6 : 0;
      if (det.push(t0 + i * 300_000, x + burst) === EpisodeEvent.Opened) opened++;
      if (i === 3 * 288 + 100) expect(det.last.signal).not.toBe(Signal.Firing);
    }
    expect(opened).toBe(0);
    // the same burst with minCount 5 fires
    const eager = new SpikeDetector({ ...DEFAULT_SPIKE_SETTINGS, minCount: 5 });
    let eagerOpened = 0;
    for (let i = 0; i < 4 * 288; i++) {
      const x = (i % 5 === 0 ? 1 : 0) + (i === 3 * 288 + 100 ? 6 : 0);
      if (eager.push(t0 + i * 300_000, x) === EpisodeEvent.Opened) eagerOpened++;
    }
    expect(eagerOpened).toBe(1);
  });

  it("no episode during warm-up (the first day)", () => {
    const det = new SpikeDetector();
    const t0 = Date.UTC(2026, 2, 2);
    for (let i = 0; i < 288; i++) expect(det.push(t0 + i * 300_000, i === 200 ? 500 : 10)).toBe(EpisodeEvent.None);
  });

  it("a lasting level shift becomes the new normal: the episode resolves after rebaselineAfterSec", () => {
    const det = new SpikeDetector();
    const t0 = Date.UTC(2026, 2, 2);
    const events: [number, number][] = [];
    for (let i = 0; i < 6 * 288; i++) {
      const x = i < 3 * 288 ? 20 + (i % 3) : 80 + (i % 3);
      const e = det.push(t0 + i * 300_000, x);
      if (e === EpisodeEvent.Opened || e === EpisodeEvent.Resolved) events.push([i, e]);
    }
    expect(events.map((e) => e[1])).toEqual([EpisodeEvent.Opened, EpisodeEvent.Resolved]);
    expect(events[0]![0]).toBe(3 * 288);
    expect(events[1]![0] - events[0]![0]).toBeLessThanOrEqual((12 * 3600 + 3 * 3600) / 300 + 1);
  });

  it("daily buckets: weekly cycle learnt, a spike found", () => {
    const det = new SpikeDetector(spikeSettingsOf(86_400));
    const t0 = Date.UTC(2026, 0, 5);
    const opened: number[] = [];
    for (let d = 0; d < 120; d++) {
      const dow = (d + 1) % 7; // 2026-01-05 is a Monday
      const x = (dow === 0 || dow === 6 ? 300 : 1000) + ((d * 37) % 50) + (d === 100 ? 4000 : 0);
      if (det.push(t0 + d * 86_400_000, x) === EpisodeEvent.Opened) opened.push(d);
    }
    expect(opened).toEqual([100]);
  });

  it("shares: a count with exposure (negative mentions of all mentions) fires on a rise of the share, not of the volume", () => {
    const det = new SpikeDetector();
    const t0 = Date.UTC(2026, 2, 2);
    const opened: number[] = [];
    for (let i = 0; i < 5 * 288; i++) {
      const n = 100 + ((i * 13) % 40) + (i >= 4 * 288 && i < 4 * 288 + 12 ? 400 : 0); // volume ×5 for an hour
      const neg = Math.round(n * (i >= 4 * 288 + 100 && i < 4 * 288 + 112 ? 0.5 : 0.2)) + ((i * 7) % 3) - 1;
      if (det.push(t0 + i * 300_000, neg, n) === EpisodeEvent.Opened) opened.push(i);
    }
    expect(opened).toEqual([4 * 288 + 100]);
  });

  it("tail gate: a series whose bursts are its normal stops alerting on them, a far larger one still alerts", () => {
    // ~20 items per bucket, plus a one-bucket burst of 40-80 items about every 4 hours
    const rnd = seededRandom(7);
    const t0 = Date.UTC(2026, 2, 2);
    const days = 14;
    const xs = Array.from({ length: days * 288 }, () => {
      let x = 0;
      for (let k = 0; k < 20; k++) x += rnd() < 0.5 ? 2 : 0; // mean 20, variance 20 (Poisson-like)
      if (rnd() < 1 / 48) x += 40 + Math.floor(40 * rnd());
      return x;
    });
    const big = 12 * 288 + 100;
    xs[big] = xs[big]! + 400;
    const openings = (settings: typeof DEFAULT_SPIKE_SETTINGS) => {
      const det = new SpikeDetector(settings);
      const opened: number[] = [];
      xs.forEach((x, i) => {
        if (det.push(t0 + i * 300_000, x) === EpisodeEvent.Opened) opened.push(i);
      });
      return { opened, det };
    };
    const without = openings({ ...DEFAULT_SPIKE_SETTINGS, tailReturnDays: 0 });
    const withGate = openings(DEFAULT_SPIKE_SETTINGS);
    // without the gate the ordinary bursts (~6 a day) alert again and again in the second week
    const secondWeek = (opened: number[]) => opened.filter((i) => i >= 7 * 288);
    expect(secondWeek(without.opened).length).toBeGreaterThan(10);
    // with it, ordinary bursts cross the gate about once a week (tailReturnDays 7; one per window
    // at most), and the 400-item burst alerts
    expect(secondWeek(withGate.opened)).toContain(big);
    expect(secondWeek(withGate.opened).length).toBeLessThanOrEqual(4);
    // the 5-minute window, where the bursts show, has learnt a gate above zOpen
    expect(withGate.det.windowGates[0]).toMatchObject({ windowSec: 300 });
    expect(withGate.det.windowGates[0]!.gate).toBeGreaterThan(DEFAULT_SPIKE_SETTINGS.zOpen + 1);
    expect(without.det.windowGates.every((g) => g.gate === DEFAULT_SPIKE_SETTINGS.zOpen)).toBe(true);
  });

  it("tail gate: a bursty spell raises the gate above the long-run rate's, and it falls back after the spell", () => {
    // ~20 items per bucket with a one-bucket burst of 40-80 items about once a day, except on
    // days 14-15, with one about every 2 hours
    const rnd = seededRandom(9);
    const t0 = Date.UTC(2026, 2, 2);
    const spellEnd = 16 * 288;
    const xs = Array.from({ length: 26 * 288 }, (_, i) => {
      let x = 0;
      for (let k = 0; k < 20; k++) x += rnd() < 0.5 ? 2 : 0;
      const spell = i >= 14 * 288 && i < spellEnd;
      if (rnd() < (spell ? 1 / 24 : 1 / 288)) x += 40 + Math.floor(40 * rnd());
      return x;
    });
    const gates = (tailRecentHalfLifeDays: number) => {
      const det = new SpikeDetector({ ...DEFAULT_SPIKE_SETTINGS, tailRecentHalfLifeDays });
      let atSpellEnd = 0;
      xs.forEach((x, i) => {
        if (i === spellEnd) atSpellEnd = det.windowGates[0]!.gate;
        det.push(t0 + i * 300_000, x);
      });
      return { atSpellEnd, atEnd: det.windowGates[0]!.gate };
    };
    const recent = gates(DEFAULT_SPIKE_SETTINGS.tailRecentHalfLifeDays);
    const longRunOnly = gates(0);
    expect(DEFAULT_SPIKE_SETTINGS.tailRecentHalfLifeDays).toBeGreaterThan(0);
    expect(recent.atSpellEnd).toBeGreaterThan(longRunOnly.atSpellEnd + 1);
    // ten quiet days later the recent rate is below the long-run one: the long-run gate alone
    // (within 0.1: the two detectors opened different episodes, so their models differ slightly)
    expect(Math.abs(recent.atEnd - longRunOnly.atEnd)).toBeLessThan(0.1);
  });

  it("per-window dispersion: a sustained rise under bucket-to-bucket noise alerts on the long windows", () => {
    // λ follows a daily cycle around 20 per bucket; each bucket's rate is multiplied by its own
    // gamma factor (mean 1, variance 1/4), independent of its neighbours: per bucket the variance is
    // λ + λ²/4, so the bucket fit has φ ≈ 1/4, but summed over 3 hours the noise averages out. Taken
    // as fully correlated, that φ would hide a 6-hour rise by 80 % (z below 2 in every window).
    const opened = (correlatedHours: number) => {
      const rnd = seededRandom(11);
      const gamma4 = () => -Math.log(rnd() * rnd() * rnd() * rnd()) / 4; // shape 4, mean 1, variance 1/4
      const poisson = (mean: number) => {
        const limit = Math.exp(-mean);
        let k = 0;
        for (let p = rnd(); p > limit; p *= rnd()) k++;
        return k;
      };
      const t0 = Date.UTC(2026, 2, 2);
      const per = correlatedHours * 12;
      let g = 1;
      const rise = 12 * 288 + 12 * 10; // day 12, 10:00 for 6 hours
      const det = new SpikeDetector();
      const out: number[] = [];
      for (let i = 0; i < 14 * 288; i++) {
        if (i % per === 0) g = gamma4();
        const lam = 20 * (1 + 0.6 * Math.sin((2 * Math.PI * (i % 288)) / 288)) * (i >= rise && i < rise + 72 ? 1.8 : 1);
        if (det.push(t0 + i * 300_000, poisson(lam * (correlatedHours > 0 ? g : gamma4()))) === EpisodeEvent.Opened) out.push(i);
      }
      return { out, rise };
    };
    const independent = opened(0);
    // the rise is found while it lasts, and nothing else in the second week
    expect(independent.out.filter((i) => i >= independent.rise && i < independent.rise + 72)).toHaveLength(1);
    expect(independent.out.filter((i) => i >= 7 * 288 && (i < independent.rise || i >= independent.rise + 72))).toEqual([]);
    // the same gamma factor held for 6 hours at a time is model error correlated over the windows:
    // the windows' own fits stay wide (the fully-correlated bound) and the ordinary weeks stay quiet
    const correlated = opened(6);
    expect(correlated.out.filter((i) => i >= 7 * 288 && (i < correlated.rise || i >= correlated.rise + 72)).length).toBeLessThanOrEqual(1);
  });

  it("a state stored before the tail gate and the per-window dispersion existed still restores, and both start learning", () => {
    const det = new SpikeDetector();
    withSpike.slice(0, 400).forEach((v, i) => det.push(times[i]!, v));
    const old = JSON.parse(JSON.stringify(det.toState()));
    delete old.tail;
    delete old.disp;
    delete old.settings.tailReturnDays;
    delete old.settings.tailHalfLifeDays;
    delete old.settings.tailRecentHalfLifeDays;
    const restored = SpikeDetector.fromState(old);
    expect(restored.settings.tailReturnDays).toBe(DEFAULT_SPIKE_SETTINGS.tailReturnDays);
    expect(restored.settings.tailRecentHalfLifeDays).toBe(DEFAULT_SPIKE_SETTINGS.tailRecentHalfLifeDays);
    withSpike.slice(400).forEach((v, i) => restored.push(times[400 + i]!, v));
    expect(restored.toState().tail!.n).toBe(withSpike.length - 400);
    // each window's dispersion starts at the bucket's (the rule the state was stored under)
    expect(restored.toState().disp!.d).toHaveLength(DEFAULT_SPIKE_SETTINGS.windowsSec.length);
    // a tail stored before the recent burst rate existed: that rate starts at the long-run one
    const noRecent = JSON.parse(JSON.stringify(det.toState()));
    delete noRecent.tail.recent;
    expect(SpikeDetector.fromState(noRecent).toState().tail!.recent).toEqual(noRecent.tail.rate);
  });

  it("the signed root deviance is a normal score, exact at small counts", () => {
    expect(signedRootDeviance(5, 5)).toBe(0);
    expect(signedRootDeviance(0, 2)).toBeCloseTo(-2, 12);
    // P(X >= 10 | Poisson 2) ≈ 4.65e-5, about 3.9 standard scores; (x - λ)/√λ would say 5.7
    expect(signedRootDeviance(10, 2)).toBeGreaterThan(3.5);
    expect(signedRootDeviance(10, 2)).toBeLessThan(4.5);
  });

  it("return level of daily maxima (Gumbel by median and IQR)", () => {
    expect(returnLevel([1, 2, 3, 4], 14)).toBe(-Infinity);
    const same = returnLevel([3, 3, 3, 3, 3, 3], 14);
    expect(same).toBe(3);
    const spread = returnLevel([2, 3, 3.5, 4, 4.5, 5, 6], 14);
    expect(spread).toBeGreaterThan(6);
    expect(spread).toBeLessThan(8);
  });

  it("refuses settings that cannot work", () => {
    expect(() => new SpikeDetector({ ...DEFAULT_SPIKE_SETTINGS, bucketSec: 7 * 60 })).toThrow(/whole number/);
    expect(() => new SpikeDetector({ ...DEFAULT_SPIKE_SETTINGS, zClose: 6 })).toThrow(/zOpen/);
    expect(() => new SpikeDetector({ ...DEFAULT_SPIKE_SETTINGS, tailReturnDays: -1 })).toThrow(/tailReturnDays/);
    expect(() => new SpikeDetector({ ...DEFAULT_SPIKE_SETTINGS, tailHalfLifeDays: 0 })).toThrow(/tailHalfLifeDays/);
  });

  it("replay feeds missing buckets as zeros, as the workers do", () => {
    const t0 = Date.UTC(2026, 2, 2);
    const full = Array.from({ length: 600 }, (_, i) => t0 + i * 300_000);
    const vals = full.map((_, i) => (i % 2 === 0 ? 10 : 0));
    // drop the zero rows: replay must give the same alerts on the rows kept
    const keep = full.map((_, i) => i).filter((i) => vals[i]! > 0);
    const a = alertRowsOf(full, vals, DEFAULT_SPIKE_SETTINGS);
    const b = alertRowsOf(keep.map((i) => full[i]!), keep.map((i) => vals[i]!), DEFAULT_SPIKE_SETTINGS);
    expect(Array.from(b)).toEqual(keep.map((i) => a[i]));
  });
});
