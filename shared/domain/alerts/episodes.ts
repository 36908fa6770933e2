/**
 * The alert lifecycle of one series, bucket by bucket: an episode opens when the detector fires,
 * stays one alert while the series is still anomalous, and resolves once it has been back to
 * normal for `resolveAfter` consecutive buckets. Shared by spike and threshold rules. Pure.
 */

/**
 * What a detector says about one bucket: `Normal` (within the normal band), `Elevated` (outside
 * it, not enough to open an episode, but keeps an open one open), `Firing` (opens an episode).
 */
export const Signal = { Normal: 0, Elevated: 1, Firing: 2 } as const;
export type Signal = (typeof Signal)[keyof typeof Signal];

/**
 * What happened to the episode at a bucket: `None` (no episode), `Opened` (the one moment to
 * notify), `Ongoing` (an open episode goes on, no notification), `Resolved` (back to normal long
 * enough; the episode closed at this bucket).
 */
export const EpisodeEvent = { None: 0, Opened: 1, Ongoing: 2, Resolved: 3 } as const;
export type EpisodeEvent = (typeof EpisodeEvent)[keyof typeof EpisodeEvent];

export interface EpisodeState {
  open: boolean;
  /** consecutive Normal buckets seen while open */
  quiet: number;
  /** buckets since the episode opened (0 at the opening bucket) */
  age: number;
}

export const closedEpisode = (): EpisodeState => ({ open: false, quiet: 0, age: 0 });

/**
 * Advances `state` (mutated) by one bucket's signal and returns the event. `resolveAfter` ≥ 1 is
 * how many consecutive Normal buckets close an episode; an Elevated or Firing bucket resets the
 * count, so a spike with a dip inside stays one episode.
 */
export function stepEpisode(state: EpisodeState, signal: Signal, resolveAfter: number): EpisodeEvent {
  if (!state.open) {
    if (signal !== Signal.Firing) return EpisodeEvent.None;
    state.open = true;
    state.quiet = 0;
    state.age = 0;
    return EpisodeEvent.Opened;
  }
  state.age++;
  if (signal !== Signal.Normal) {
    state.quiet = 0;
    return EpisodeEvent.Ongoing;
  }
  state.quiet++;
  if (state.quiet < resolveAfter) return EpisodeEvent.Ongoing;
  state.open = false;
  state.quiet = 0;
  return EpisodeEvent.Resolved;
}
