/**
 * How a survey answer counts, per kind and scale (product.md "Metric definitions").
 *
 * - NPS (0-10): promoter 9-10, passive 7-8, detractor 0-6 (Reichheld, "The One Number You Need
 *   to Grow", HBR 2003).
 * - CSAT: satisfied = 4-5 on a 1-5 scale, 8-10 on a 1-10 scale (product.md). The mean is reported
 *   on the 1-5 scale; 1-10 answers are mapped linearly (1 → 1, 10 → 5).
 * - CES: higher = easier ("The company made it easy for me to handle my issue", CES 2.0,
 *   Dixon, Toman & DeLisi, "The Effortless Experience", 2013). Low effort = agree: 5-7 on the
 *   1-7 scale, 4-5 on a 1-5 scale. The mean is reported on the 1-7 scale; 1-5 answers are mapped
 *   linearly (1 → 1, 5 → 7).
 *
 * Means are stored in fixed point so every increment is an integer and rollup sums are exact in
 * any order: the stored value is score × FIXED_POINT[kind] (CSAT in ninths, CES in halves).
 */

export type SurveyKind = "nps" | "csat" | "ces";

export const DEFAULT_SCALE: Record<SurveyKind, number> = { nps: 10, csat: 5, ces: 7 };

/** Fixed-point factor of the survey `sum` measure per kind (sumSq uses its square). */
export const SURVEY_FIXED_POINT: Record<SurveyKind, number> = { nps: 1, csat: 9, ces: 2 };

export type NpsCategory = "promoters" | "passives" | "detractors";

/** NPS category of a 0-10 score. */
export function npsCategoryOf(score: number): NpsCategory {
  if (score >= 9) return "promoters";
  if (score >= 7) return "passives";
  return "detractors";
}

/** Whether a CSAT answer is "satisfied": >= 4 on 1-5, >= 8 on 1-10. */
export function isSatisfied(score: number, scale: number): boolean {
  return scale === 10 ? score >= 8 : score >= 4;
}

/** Whether a CES answer is "low effort": >= 5 on 1-7, >= 4 on 1-5 (higher = easier). */
export function isLowEffort(score: number, scale: number): boolean {
  return scale === 5 ? score >= 4 : score >= 5;
}

/**
 * The score in fixed point on the kind's reporting scale: NPS raw 0-10 (×1), CSAT on 1-5 in
 * ninths (1-5: 9s; 1-10: 9 + 4(s - 1)), CES on 1-7 in halves (1-7: 2s; 1-5: 2 + 3(s - 1)).
 * Always an integer for integer scores.
 */
export function fixedPointScoreOf(kind: SurveyKind, score: number, scale: number): number {
  switch (kind) {
    case "nps":
      return score;
    case "csat":
      return scale === 10 ? 9 + 4 * (score - 1) : 9 * score;
    case "ces":
      return scale === 5 ? 2 + 3 * (score - 1) : 2 * score;
  }
}
