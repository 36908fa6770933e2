/**
 * Threshold rules: a bucket fires when its value crosses a fixed bound and holds at least `minN`
 * items (a 100 % negative share of 2 mentions says nothing). The episode lifecycle is the spike
 * detector's (episodes.ts). Pure; the state is three numbers.
 */
import { closedEpisode, EpisodeEvent, Signal, stepEpisode, type EpisodeState } from "./episodes";

export interface ThresholdSettings {
  /** fire when the value is above (or below) this bound */
  bound: number;
  direction: "above" | "below";
  /** least items behind the value for the bucket to count (fewer: the bucket is normal) */
  minN: number;
  /** consecutive normal buckets that resolve an episode (≥ 1) */
  resolveAfter: number;
}

export interface ThresholdState {
  lastTs: number | null;
  episode: EpisodeState;
}

export const initialThresholdState = (): ThresholdState => ({ lastTs: null, episode: closedEpisode() });

/**
 * Advances `state` (mutated) by one bucket: `value` of the metric and `n` items behind it. A
 * bucket at or before the last one is ignored (returns None), so a redelivered bucket cannot
 * notify twice. A null value (no data) is a normal bucket.
 */
export function stepThreshold(state: ThresholdState, s: ThresholdSettings, tsMs: number, value: number | null, n: number): { event: EpisodeEvent; signal: Signal } {
  if (state.lastTs !== null && tsMs <= state.lastTs) return { event: EpisodeEvent.None, signal: Signal.Normal };
  state.lastTs = tsMs;
  const crossed = value !== null && (s.direction === "above" ? value > s.bound : value < s.bound);
  const signal = crossed && n >= s.minN ? Signal.Firing : Signal.Normal;
  return { event: stepEpisode(state.episode, signal, Math.max(1, s.resolveAfter)), signal };
}
