/**
 * One bucket of one rule: the rule's stored state and the bucket's summed measures in, the new
 * state, the episode event and the reading out. Pure and deterministic, so re-running a bucket
 * from the same stored state (a retried evaluation) gives the same event and the same alert id.
 */
import type { Measures } from "../metrics/contribution";
import { pointOf } from "../metrics/points";
import { OVERDUE_FOLLOW_UPS, type AlertMetric } from "./vocabulary";
import type { AlertReading, AlertRuleKind } from "./alert-doc";
import { EpisodeEvent } from "./episodes";
import { ALERT_RESOLUTIONS, spikeInputOf, type AlertResolution } from "./rule-series";
import { SpikeDetector, spikeSettingsOf, type Sensitivity, type SpikeState } from "./spike-detector";
import { initialThresholdState, stepThreshold, type ThresholdSettings, type ThresholdState } from "./threshold";

export interface RuleSpec {
  kind: AlertRuleKind;
  metric: AlertMetric;
  resolution: AlertResolution;
  sensitivity: Sensitivity;
  /** threshold rules only */
  threshold?: Omit<ThresholdSettings, "resolveAfter">;
}

/** What is stored on the rule between buckets. */
export interface RuleState {
  /** start (ms) of the last bucket evaluated; null before the first */
  lastStart: number | null;
  spike?: SpikeState;
  threshold?: ThresholdState;
}

export const initialRuleState = (): RuleState => ({ lastStart: null });

/** Threshold episodes resolve after this long of normal buckets, like spikes (at least one bucket). */
const THRESHOLD_RESOLVE_SEC = 3 * 3_600;

export interface RuleStep {
  state: RuleState;
  event: EpisodeEvent;
  reading: AlertReading;
}

/** Advances a rule by the bucket starting at `startMs` (a bucket at or before `lastStart` changes nothing). */
export function stepRule(spec: RuleSpec, state: RuleState, startMs: number, m: Measures): RuleStep {
  // Overdue follow-ups: the count at the bucket's end is the value and its n.
  const point = spec.metric === OVERDUE_FOLLOW_UPS ? { value: m.n ?? 0, n: m.n ?? 0 } : pointOf(spec.metric, m);
  const at = new Date(startMs);
  if (state.lastStart !== null && startMs <= state.lastStart) {
    return { state, event: EpisodeEvent.None, reading: { at, value: point.value, n: point.n, expected: null, lower: null, upper: null, z: null, windowSec: null } };
  }
  const bucketSec = ALERT_RESOLUTIONS[spec.resolution];
  if (spec.kind === "threshold") {
    const t = spec.threshold!;
    const ts = structuredClone(state.threshold ?? initialThresholdState());
    const resolveAfter = Math.max(1, Math.round(THRESHOLD_RESOLVE_SEC / bucketSec));
    const { event } = stepThreshold(ts, { ...t, resolveAfter }, startMs, point.value, point.n);
    return {
      state: { lastStart: startMs, threshold: ts },
      event,
      reading: { at, value: point.value, n: point.n, expected: t.bound, lower: null, upper: null, z: null, windowSec: null },
    };
  }
  const input = spikeInputOf(spec.metric, m);
  if (!input) throw new RangeError(`metric ${spec.metric} has no spike form`);
  const det = state.spike ? SpikeDetector.fromState(state.spike) : new SpikeDetector(spikeSettingsOf(bucketSec, spec.sensitivity));
  // A share with no items is no data (n = 0); a count is always observed, 0 included.
  const event = det.push(startMs, input.count, input.exposure);
  const r = det.last;
  return {
    state: { lastStart: startMs, spike: det.toState() },
    event,
    reading: { at, value: input.count, n: point.n, expected: r.expected, lower: r.lower, upper: r.upper, z: r.z, windowSec: r.windowSec },
  };
}
