/** Follow-up categories and due times, reply evidence, and the follow-up metrics, by hand. */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_FOLLOW_UP_POLICY as P,
  firstReplyAfter,
  followUpOf,
  followUpPointOf,
  replyEvidenceOf,
  type FollowUpRow,
} from "../../../shared/domain/follow-ups";

const at = (s: string) => new Date(s);

describe("followUpOf", () => {
  it.each([
    ["nps", 6, 10, "detractor", "2026-03-05T00:00:00.000Z"],
    ["nps", 7, 10, "passive", "2026-03-07T00:00:00.000Z"],
    ["nps", 9, 10, "promoter", "2026-03-09T00:00:00.000Z"],
    ["csat", 2, 5, "low-csat", "2026-03-05T00:00:00.000Z"],
    ["csat", 3, 5, null, null],
    // 1-10 CSAT on the 1-5 scale: 1 + (s − 1)·4/9; 4 → 2.33 (< 3), 6 → 3.22
    ["csat", 4, 10, "low-csat", "2026-03-05T00:00:00.000Z"],
    ["csat", 6, 10, null, null],
    // 1-5 CES on the 1-7 scale: 1 + (s − 1)·1.5; 2 → 2.5 (< 3), 3 → 4
    ["ces", 2, 5, "low-ces", "2026-03-05T00:00:00.000Z"],
    ["ces", 3, 5, null, null],
  ] as const)("%s %d on 1-%d → %s", (surveyKind, score, scale, category, due) => {
    const f = followUpOf({ surveyKind, score, scale, respondedAt: at("2026-03-01T18:00:00Z") }, P);
    expect(f ? [f.category, f.dueAt.toISOString()] : [null, null]).toEqual([category, due]);
  });

  it("turns the low-score follow-ups off with null, and counts days in the policy's zone", () => {
    expect(followUpOf({ surveyKind: "csat", score: 1, scale: 5, respondedAt: at("2026-03-01T18:00:00Z") }, { ...P, csatBelow: null })).toBeNull();
    // 18:00 UTC on 1 March is 03:00 on 2 March in Tokyo: 3 days → end of 5 March, Tokyo.
    const f = followUpOf({ surveyKind: "nps", score: 0, scale: 10, respondedAt: at("2026-03-01T18:00:00Z") }, { ...P, timeZone: "Asia/Tokyo" });
    expect(f!.dueAt.toISOString()).toBe("2026-03-05T15:00:00.000Z");
  });
});

describe("reply evidence", () => {
  const created = at("2026-03-01T08:00:00Z");
  it("a first response, and a rise of agentReplies after the previous version", () => {
    const e = replyEvidenceOf(
      { createdAt: created, updatedAt: at("2026-03-03T00:00:00Z"), agentReplies: 3 },
      { updatedAt: at("2026-03-02T00:00:00Z"), agentReplies: 2 },
    );
    expect(e).toEqual([{ at: at("2026-03-03T00:00:00Z"), after: at("2026-03-02T00:00:00Z") }]);
    // An answer before the previous version is followed up; one after it may predate the reply.
    expect(firstReplyAfter(e, at("2026-03-01T12:00:00Z"))?.at).toEqual(at("2026-03-03T00:00:00Z"));
    expect(firstReplyAfter(e, at("2026-03-02T12:00:00Z"))).toBeNull();
  });
  it("no reply without a first response or a rise", () => {
    expect(replyEvidenceOf({ createdAt: created, updatedAt: at("2026-03-03T00:00:00Z"), agentReplies: 2 }, { updatedAt: created, agentReplies: 2 })).toEqual([]);
  });
});

describe("follow-up metrics", () => {
  const rows: FollowUpRow[] = [
    { category: "detractor", respondedAt: at("2026-03-01T00:00:00Z"), dueAt: at("2026-03-04T00:00:00Z"), doneAt: at("2026-03-02T00:00:00Z") },
    { category: "detractor", respondedAt: at("2026-03-01T00:00:00Z"), dueAt: at("2026-03-04T00:00:00Z") }, // missed
    { category: "promoter", respondedAt: at("2026-03-01T00:00:00Z"), dueAt: at("2026-03-08T00:00:00Z"), doneAt: at("2026-03-09T00:00:00Z") }, // late
    { category: "passive", respondedAt: at("2026-03-05T00:00:00Z"), dueAt: at("2026-03-10T00:00:00Z") }, // not due yet
  ];
  const now = at("2026-03-09T12:00:00Z");
  it("rate: on time over due (not-yet-due open answers wait)", () => {
    const p = followUpPointOf("follow-up-rate", rows, at("2026-03-01T00:00:00Z"), at("2026-04-01T00:00:00Z"), now);
    expect(p.n).toBe(3);
    expect(p.value).toBeCloseTo(100 / 3, 12);
    expect(p.parts).toMatchObject({ detractorDue: 2, detractorPct: 50, promoterDue: 1, promoterPct: 0, passiveDue: 0, passivePct: null });
  });
  it("time: median and p90 by nearest rank, bucketed by follow-up time", () => {
    const p = followUpPointOf("follow-up-time", rows, at("2026-03-01T00:00:00Z"), at("2026-04-01T00:00:00Z"), now);
    expect(p).toEqual({ value: 86_400, n: 2, parts: { median: 86_400, p90: 8 * 86_400, mean: 4.5 * 86_400 } });
  });
});
