/**
 * The series an alert rule watches, bucket by bucket: which resolutions exist, which buckets are
 * due, the summed measures of one bucket from the 5-minute rollup cut, and what a spike detector
 * counts for each metric. Pure; the evaluator (workers/processors/evaluate-alerts.ts) reads the
 * rollup documents and the clock.
 */
import { FINE_CUT, FINE_SLOT_SEC, type Dimension, type Measures } from "../metrics/contribution";
import { METRICS, type MetricName } from "../metrics/registry";
import type { RollupDoc } from "../metrics/rollups";
import { rollupSelectionOf, selectionMatches, type Filters, type RollupSelection } from "../metrics/series";
import { utcDaysCovering } from "../time/utc-slots";
import { ALERT_RESOLUTIONS, type AlertMetric, type AlertResolution, type SpikeMetric } from "./vocabulary";

export * from "./vocabulary";

/** Whether the resolution reads the 5-minute cut (which keeps only `kind` and `surveyKind`). */
export const readsFineCut = (r: AlertResolution): boolean => ALERT_RESOLUTIONS[r] < 3_600;
/** Filters a rule finer than an hour may use: the dimensions the 5-minute cut keeps. */
export const FINE_FILTERS: readonly Dimension[] = ["kind", "surveyKind"];

/**
 * What a spike rule counts in a bucket: `count` of `exposure` (exposure 1 for a plain count).
 * Spikes are rises of something bad: more tickets or mentions, more negative items, more
 * tickets that were not solved at first contact, more detractors. Averages (times, CES means)
 * have no count to be surprised by; they take threshold rules.
 */
const SPIKE_INPUTS: Record<SpikeMetric, (m: Measures) => { count: number; exposure: number }> = {
  volume: (m) => ({ count: m.n ?? 0, exposure: 1 }),
  mentions: (m) => ({ count: m.n ?? 0, exposure: 1 }),
  sentiment: (m) => ({ count: m.neg ?? 0, exposure: m.n ?? 0 }),
  fcr: (m) => ({ count: (m.n ?? 0) - (m.fcr ?? 0), exposure: m.n ?? 0 }),
  "reopen-rate": (m) => ({ count: m.reopened ?? 0, exposure: m.n ?? 0 }),
  nps: (m) => ({ count: m.detractors ?? 0, exposure: m.n ?? 0 }),
  csat: (m) => ({ count: (m.n ?? 0) - (m.satisfied ?? 0), exposure: m.n ?? 0 }),
  ces: (m) => ({ count: (m.n ?? 0) - (m.lowEffort ?? 0), exposure: m.n ?? 0 }),
};


/**
 * The detector's input for one bucket, or null when the metric has no spike form. A share with no
 * items at all (exposure 0) is fed as 0 of 0: the detector expects nothing then.
 */
export function spikeInputOf(metric: AlertMetric, m: Measures): { count: number; exposure: number } | null {
  const f = SPIKE_INPUTS[metric as SpikeMetric];
  return f ? f(m) : null;
}

/**
 * Bucket starts (ms) due for evaluation, oldest first: after the last evaluated bucket `lastStartMs`
 * (or, for a new rule, only the newest complete bucket), each bucket that ended at least `settleMs`
 * before `nowMs`, at most `max` of them (the rest on the next tick). Buckets are aligned to UTC
 * midnight (every resolution divides a day).
 */
export function dueBuckets(lastStartMs: number | null, resolutionSec: number, nowMs: number, settleMs: number, max: number): number[] {
  const len = resolutionSec * 1_000;
  const newestStart = Math.floor((nowMs - settleMs) / len) * len - len;
  if (lastStartMs === null) return newestStart >= 0 ? [newestStart] : [];
  const out: number[] = [];
  for (let s = lastStartMs + len; s <= newestStart && out.length < max; s += len) out.push(s);
  return out;
}

/**
 * The rollup documents a rule's buckets in `[startMs, endMs)` read: the 5-minute cut below an
 * hour (the metric's `where` and the rule's kind/surveyKind filters as dimension values, untagged),
 * the cheapest hourly cut otherwise (as a trend query with the same filters would read).
 */
export function ruleSelectionOf(metric: MetricName, resolution: AlertResolution, filters: Filters, startMs: number, endMs: number): RollupSelection {
  const from = new Date(startMs);
  const to = new Date(endMs);
  if (!readsFineCut(resolution)) return rollupSelectionOf(metric, { from, to, filters });
  const dims: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(METRICS[metric].where)) dims[k] = [v];
  for (const [k, v] of Object.entries(filters)) {
    if (v === undefined) continue;
    if (!(FINE_FILTERS as readonly string[]).includes(k)) throw new RangeError(`filter ${k} needs a resolution of an hour or more`);
    const vals = typeof v === "string" ? [v] : [...v];
    dims[k] = dims[k] ? dims[k].filter((x) => vals.includes(x)) : vals;
  }
  return { family: METRICS[metric].family, days: utcDaysCovering(from, to), cut: FINE_CUT, dims, tag: null, unknownFromTotal: false };
}

/** The measures of each slot (by its start, ms) of the documents of `sel`; others are skipped. */
export interface SlotMeasures {
  slotMs: number;
  bySlot: Map<number, Measures>;
}

/** Sums the documents of `sel` (a superset may be passed) per slot: 5 minutes in the 5-minute cut, an hour otherwise. */
export function slotMeasuresOf(docs: Iterable<RollupDoc>, sel: RollupSelection): SlotMeasures {
  const slotMs = (sel.cut === FINE_CUT ? FINE_SLOT_SEC : 3_600) * 1_000;
  const bySlot = new Map<number, Measures>();
  for (const doc of docs) {
    if (!selectionMatches(doc, sel)) continue;
    const dayMs = Date.parse(`${doc.day}T00:00:00Z`);
    for (const [slot, m] of Object.entries(doc.h)) {
      const t = dayMs + Number(slot) * slotMs;
      let into = bySlot.get(t);
      if (!into) bySlot.set(t, (into = {}));
      for (const k in m) into[k] = (into[k] ?? 0) + m[k]!;
    }
  }
  return { slotMs, bySlot };
}

/** The summed measures of the whole slots in `[startMs, endMs)`. */
export function bucketMeasuresOf(slots: SlotMeasures, startMs: number, endMs: number): Measures {
  const out: Measures = {};
  for (let t = Math.ceil(startMs / slots.slotMs) * slots.slotMs; t < endMs; t += slots.slotMs) {
    const m = slots.bySlot.get(t);
    if (m) for (const k in m) out[k] = (out[k] ?? 0) + m[k]!;
  }
  return out;
}
