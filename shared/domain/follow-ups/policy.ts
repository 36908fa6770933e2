/**
 * Closing the loop with survey respondents: which answers get a follow-up, and by when. Pure.
 *
 * Every NPS answer gets one, due by category: detractors (0-6) within 3 days, passives (7-8)
 * within 5, promoters (9-10) within 7. CSAT and CES answers below a score get one too (due like
 * detractors). Days are whole local days in the workspace's time zone: an answer given on Monday
 * with 3 days is due by the end of Thursday, local time (Friday 00:00 local), so a team is never
 * due at 2 a.m. its time. Each workspace may change these (PUT /v1/follow-ups/policy); answers
 * keep the due time they got when they arrived.
 */
import { z } from "zod";
import { firstInstantAtWall, isValidTimeZone, localFieldsOf } from "../time/zones";
import { fixedPointScoreOf, npsCategoryOf, SURVEY_FIXED_POINT } from "../metrics/survey-scores";

export const FOLLOW_UP_CATEGORIES = ["detractor", "passive", "promoter", "low-csat", "low-ces"] as const;
export type FollowUpCategory = (typeof FOLLOW_UP_CATEGORIES)[number];

const days = z.number().int().min(0).max(365);
export const followUpPolicySchema = z
  .object({
    detractorDays: days.default(3),
    passiveDays: days.default(5),
    promoterDays: days.default(7),
    /** CSAT answers below this mean-scale score (1-5; 1-10 answers mapped linearly) get a follow-up; null: none */
    csatBelow: z.number().min(1).max(5).nullable().default(3),
    /** CES answers below this score (1-7, higher = easier; 1-5 mapped linearly) get a follow-up; null: none */
    cesBelow: z.number().min(1).max(7).nullable().default(3),
    /** days for CSAT and CES follow-ups */
    lowScoreDays: days.default(3),
    timeZone: z.string().refine(isValidTimeZone, "must be an IANA time zone such as Europe/Amsterdam").default("UTC"),
  })
  .strict();
export type FollowUpPolicy = z.output<typeof followUpPolicySchema>;
export const DEFAULT_FOLLOW_UP_POLICY: FollowUpPolicy = followUpPolicySchema.parse({});

export interface SurveyAnswer {
  surveyKind: "nps" | "csat" | "ces";
  score: number;
  scale: number;
  respondedAt: Date;
}

export interface FollowUpDue {
  category: FollowUpCategory;
  dueAt: Date;
}

/** The category of an answer that needs a follow-up, or null. */
export function followUpCategoryOf(a: SurveyAnswer, p: FollowUpPolicy): FollowUpCategory | null {
  if (a.surveyKind === "nps") {
    const c = npsCategoryOf(a.score);
    return c === "detractors" ? "detractor" : c === "passives" ? "passive" : "promoter";
  }
  const below = a.surveyKind === "csat" ? p.csatBelow : p.cesBelow;
  if (below === null) return null;
  const onReportingScale = fixedPointScoreOf(a.surveyKind, a.score, a.scale) / SURVEY_FIXED_POINT[a.surveyKind];
  return onReportingScale < below ? (a.surveyKind === "csat" ? "low-csat" : "low-ces") : null;
}

/** Whole local days a category gives. */
export function daysOf(category: FollowUpCategory, p: FollowUpPolicy): number {
  switch (category) {
    case "detractor": return p.detractorDays;
    case "passive": return p.passiveDays;
    case "promoter": return p.promoterDays;
    default: return p.lowScoreDays;
  }
}

/**
 * The end of the `days`-th local day after the one `at` falls on, in `tz` (local midnight that
 * starts the next day; daylight-saving days included). 0 days: the end of the same day.
 */
export function endOfLocalDayAfter(at: Date, days: number, tz: string): Date {
  const f = localFieldsOf(at.getTime(), tz);
  return new Date(firstInstantAtWall(Date.UTC(f.year, f.month - 1, f.day + days + 1), tz));
}

/** The follow-up an answer needs under the policy, or null. */
export function followUpOf(a: SurveyAnswer, p: FollowUpPolicy): FollowUpDue | null {
  const category = followUpCategoryOf(a, p);
  if (!category) return null;
  return { category, dueAt: endOfLocalDayAfter(a.respondedAt, daysOf(category, p), p.timeZone) };
}
