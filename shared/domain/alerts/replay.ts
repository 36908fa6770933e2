/**
 * Running the production spike detector over a whole recorded series, bucket by bucket, exactly
 * as the alert evaluator feeds it (empty buckets as zeros): for evaluation, benchmarks and tests.
 */
import { EpisodeEvent } from "./episodes";
import { SpikeDetector, type SpikeSettings } from "./spike-detector";

/**
 * One flag per row: 1 where an episode opened (the bucket that would notify), else 0. `times` are
 * the rows' bucket starts (ms, increasing), `values` their counts. Buckets missing between two
 * rows (a step longer than one bucket) are fed as zero counts first, as the workers would see them.
 */
export function alertRowsOf(times: readonly number[], values: readonly number[], settings: SpikeSettings): Uint8Array {
  if (times.length !== values.length) throw new RangeError("times and values differ in length");
  const det = new SpikeDetector(settings);
  const bucketMs = settings.bucketSec * 1000;
  const out = new Uint8Array(times.length);
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (i > 0) {
      for (let gap = times[i - 1]! + bucketMs; t - gap >= bucketMs / 2; gap += bucketMs) det.push(gap, 0);
    }
    out[i] = det.push(t, values[i]!) === EpisodeEvent.Opened ? 1 : 0;
  }
  return out;
}
