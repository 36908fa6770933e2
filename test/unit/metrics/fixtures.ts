/** Builders of stored items for metric tests (plain objects, as the worker reads them from MongoDB). */
import type { RollupMention, RollupSurvey, RollupTicket } from "../../../shared/domain/metrics/contribution";

export const ticket = (over: Partial<RollupTicket> = {}): RollupTicket => ({
  kind: "ticket",
  source: "zendesk",
  channel: "email",
  status: "open",
  tags: [],
  customer: {},
  createdAt: new Date("2026-03-02T09:15:00Z"),
  agentReplies: 0,
  reopens: 0,
  ...over,
});

export const mention = (over: Partial<RollupMention> = {}): RollupMention => ({
  kind: "mention",
  platform: "twitter",
  author: { handle: "a", followers: 120 },
  postedAt: new Date("2026-03-02T10:05:00Z"),
  ...over,
});

export const survey = (over: Partial<RollupSurvey> = {}): RollupSurvey => ({
  kind: "survey",
  surveyKind: "nps",
  source: "api",
  score: 9,
  respondedAt: new Date("2026-03-02T11:00:00Z"),
  ...over,
});
