import { describe, expect, it } from "vitest";
import type { NabFileScore } from "../../../shared/domain/alerts/nab-score";
import { leaveOneFileOut } from "../../../scripts/support/cross-validate";

// one window per file: null −1, perfect +1, so a file's NAB score is 50 × (raw + 1)
const file = (raw: number): NabFileScore => ({
  raw, nullScore: -1, perfect: 1, windows: 1, detected: raw > -1 ? 1 : 0, falseAlerts: 0, windowScores: [], falseAlertScore: 0,
});

describe("leave-one-file-out cross-validation", () => {
  it("scores each file with the variant that is best on the other files, never on itself", () => {
    // variant 0 is middling everywhere; variant 1 is excellent on file 0 only; variant 2 is good on files 1 and 2
    const scores = [
      [file(0), file(0), file(0)],
      [file(1), file(-1), file(-1)],
      [file(-1), file(0.6), file(0.6)],
    ];
    const folds = leaveOneFileOut(scores);
    // file 0 held out: on files 1, 2 variant 2 wins (80 vs 50 vs 0); its score on file 0 is 0
    expect(folds[0]).toMatchObject({ file: 0, chosen: 2, trainScore: 80 });
    expect(folds[0]!.heldOut.raw).toBe(-1);
    // file 1 held out: on files 0, 2 variant 2 scores 40, variant 0 50, variant 1 50: the tie goes to the earlier (0)
    expect(folds[1]).toMatchObject({ file: 1, chosen: 0, trainScore: 50 });
    expect(folds[2]).toMatchObject({ file: 2, chosen: 0, trainScore: 50 });
    expect(folds.map((f) => f.heldOut.raw)).toEqual([-1, 0, 0]);
  });

  it("refuses fewer than two files or ragged scores", () => {
    expect(() => leaveOneFileOut([[file(0)]])).toThrow(/two files/);
    expect(() => leaveOneFileOut([[file(0), file(0)], [file(0)]])).toThrow(/every file/);
  });
});
