/**
 * Leave-one-file-out cross-validation of detector settings (`npm run cv:alerts`): for each file,
 * the settings are chosen on the other files only (the variant with the best NAB score over them),
 * and the held-out file is scored with those settings. The held-out scores together are an honest
 * estimate of how the choice of settings generalises to a series it never saw. Pure.
 */
import { nabNormalizedScore, type NabFileScore } from "../../shared/domain/alerts/nab-score";

export interface Fold {
  /** index of the held-out file */
  file: number;
  /** index of the variant chosen on the other files */
  chosen: number;
  /** NAB score of that variant over the other files (what it was chosen on) */
  trainScore: number;
  /** the held-out file scored with the chosen variant */
  heldOut: NabFileScore;
}

/**
 * `scores[v][f]`: variant v's score on file f (every variant scored on every file). Ties go to the
 * earlier variant, so list the default first. Needs at least two files.
 */
export function leaveOneFileOut(scores: readonly (readonly NabFileScore[])[]): Fold[] {
  const files = scores[0]?.length ?? 0;
  if (files < 2) throw new RangeError("cross-validation needs at least two files");
  if (scores.some((row) => row.length !== files)) throw new RangeError("every variant must be scored on every file");
  const folds: Fold[] = [];
  for (let f = 0; f < files; f++) {
    let chosen = 0;
    let best = -Infinity;
    scores.forEach((row, v) => {
      const s = nabNormalizedScore(row.filter((_, k) => k !== f));
      if (s > best) {
        best = s;
        chosen = v;
      }
    });
    folds.push({ file: f, chosen, trainScore: best, heldOut: scores[chosen]![f]! });
  }
  return folds;
}
