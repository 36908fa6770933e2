import { describe, expect, it } from "vitest";
import { ticketInputSchema } from "../../../shared/domain/models";
import { serviceNowDate, ticketFromServiceNow } from "../../../shared/domain/importers/servicenow";
import { mentionFromAirlineTweet, tweetDate } from "../../../shared/domain/importers/airline-tweets";
import { canonicalFromCsvRow, csvFormatOf } from "../../../shared/domain/importers";

const row = {
  number: "INC0000045", incident_state: "Resolved", reassignment_count: "0", reopen_count: "1", sys_mod_count: "2",
  caller_id: "Caller 2403", opened_at: "29-02-2016 01:16", sys_updated_at: "29-02-2016 08:53", contact_type: "Phone",
  category: "Category 55", subcategory: "Subcategory 170", u_symptom: "Symptom 72", priority: "3 - Moderate",
  assignment_group: "Group 56", assigned_to: "?", resolved_at: "29-02-2016 11:29", closed_at: "05-03-2016 12:00",
};

describe("ServiceNow incident events", () => {
  it.each([
    ["29-02-2016 01:16", "2016-02-29T01:16:00Z"],
    ["?", undefined],
    ["2016-02-29", undefined],
  ])("reads %s as %s", (input, expected) => expect(serviceNowDate(input)).toBe(expected));

  it("maps a resolved event to a canonical solved ticket", () => {
    const t = ticketInputSchema.parse(ticketFromServiceNow(row));
    expect(t).toMatchObject({
      source: "csv", externalId: "INC0000045", channel: "phone", status: "solved", reopens: 1, team: "Group 56",
      tags: ["Category 55", "Subcategory 170"], customer: { id: "Caller 2403" },
    });
    expect(t.assignee).toBeUndefined();
    expect(t.createdAt.toISOString()).toBe("2016-02-29T01:16:00.000Z");
    // the row's resolved_at (11:29) is the incident's final one, later than this row's own update:
    // resolved by the update time at the latest
    expect(t.resolvedAt?.toISOString()).toBe("2016-02-29T08:53:00.002Z");
    // sys_mod_count orders updates made within the same minute
    expect(t.updatedAt.toISOString()).toBe("2016-02-29T08:53:00.002Z");
  });

  it.each([
    ["New", "new"], ["Active", "open"], ["Awaiting User Info", "pending"], ["Closed", "closed"],
  ])("maps state %s to %s and sets resolvedAt only once resolved", (state, status) => {
    const t = ticketFromServiceNow({ ...row, incident_state: state });
    expect(t.status).toBe(status);
    expect(t.resolvedAt === undefined).toBe(status !== "closed");
  });
});

describe("airline tweets", () => {
  it("reads the tweet time with its offset", () => {
    expect(tweetDate("2015-02-24 11:35:52 -0800")).toBe("2015-02-24T11:35:52-08:00");
  });
  it("maps a row to a mention without its labels", () => {
    const m = mentionFromAirlineTweet({
      tweet_id: "570306133677760513", airline_sentiment: "neutral", text: "@VirginAmerica What @dhepburn said.",
      tweet_created: "2015-02-24 11:35:52 -0800",
    });
    expect(m).toEqual({
      platform: "twitter", externalId: "570306133677760513", text: "@VirginAmerica What @dhepburn said.",
      postedAt: "2015-02-24T11:35:52-08:00", language: "en",
    });
  });
});

describe("format detection and canonical CSV", () => {
  it("recognises the public formats by their columns and falls back to canonical", () => {
    expect(csvFormatOf(Object.keys(row), "tickets").name).toBe("servicenow-incident-events");
    expect(csvFormatOf(["tweet_id", "airline_sentiment", "text", "tweet_created"], "mentions").name).toBe("airline-tweets");
    expect(csvFormatOf(["externalId", "status"], "tickets").name).toBe("canonical");
  });
  it("builds nested fields, lists and numbers, and ignores prototype keys", () => {
    const out = canonicalFromCsvRow({
      externalId: "1", "customer.segment": "enterprise", tags: "billing; refund", reopens: "2", team: "", "__proto__.polluted": "x",
    });
    expect(out).toEqual({ externalId: "1", customer: { segment: "enterprise" }, tags: ["billing", "refund"], reopens: 2 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
