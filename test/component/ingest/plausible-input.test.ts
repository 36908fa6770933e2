/**
 * What enters is plausible and valid Unicode: implausible timestamps and durations and every
 * contradiction among a ticket's timestamps and status are refused with the field named (never
 * clamped); ids that differ only in lone surrogates cannot collide, because lone surrogates are
 * refused; ids made only of invisible characters and keys with NUL bytes are refused before any
 * write.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";

let t: TestApi;
let ws: string;
let auth: string;
beforeAll(async () => {
  t = await makeTestApi();
  ws = randomId("ws");
  auth = await t.bearer(ws, ["ingest"]);
});
afterAll(async () => t?.close());

const post = (url: string, items: unknown[]) =>
  t.app.inject({ method: "POST", url, headers: { authorization: auth }, payload: { items } });
const ticket = (over: Record<string, unknown>) => ({ externalId: randomId("tk"), status: "open", createdAt: "2026-03-02T10:00:00Z", ...over });

/** Sends one item in a batch and returns the issues of its error (empty when it was accepted). */
async function issuesOf(url: string, item: unknown): Promise<{ path: string; message: string }[]> {
  const res = await post(url, [item]);
  expect([202, 400]).toContain(res.statusCode);
  return res.json().errors?.[0]?.issues ?? [];
}

describe("plausible values", () => {
  it.each([
    ["created in year 1", { createdAt: "0001-01-01T00:00:00Z" }, "items.0.createdAt", /before 2000-01-01/],
    ["created in 9999", { createdAt: "9999-12-31T00:00:00Z" }, "items.0.createdAt", /in the future/],
    ["a handle time of 1e300 s", { status: "solved", resolvedAt: "2026-03-02T11:00:00Z", handleTimeSec: 1e300 }, "items.0.handleTimeSec", /at most/],
    ["open with a resolvedAt", { resolvedAt: "2026-03-02T11:00:00Z" }, "items.0.resolvedAt", /status is open/],
    ["first response after resolution", { status: "solved", firstResponseAt: "2026-03-02T12:00:00Z", resolvedAt: "2026-03-02T11:00:00Z" }, "items.0.firstResponseAt", /after resolvedAt/],
    ["updated before resolved", { status: "solved", resolvedAt: "2026-03-02T11:00:00Z", updatedAt: "2026-03-02T10:30:00Z" }, "items.0.updatedAt", /before resolvedAt/],
    ["a counter of a million", { agentReplies: 1_000_000 }, "items.0.agentReplies", /10000|10,000/],
  ])("refuses a ticket %s, naming the field", async (_what, over, path, message) => {
    const issues = await issuesOf("/v1/tickets", ticket(over));
    expect(issues.map((i) => i.path)).toContain(path);
    expect(issues.find((i) => i.path === path)!.message).toMatch(message);
  });

  it("refuses a mention posted in the future and a survey answered before 2000", async () => {
    const tomorrowAndMore = new Date(Date.now() + 3 * 86_400_000).toISOString();
    expect(await issuesOf("/v1/mentions", { platform: "twitter", externalId: randomId("m"), text: "hi", postedAt: tomorrowAndMore }))
      .toEqual([{ path: "items.0.postedAt", message: expect.stringMatching(/in the future/) }]);
    expect(await issuesOf("/v1/surveys", { externalId: randomId("s"), kind: "nps", score: 9, respondedAt: "1999-12-31T23:59:59Z" }))
      .toEqual([{ path: "items.0.respondedAt", message: expect.stringMatching(/before 2000/) }]);
  });

  it("keeps the valid items of a batch beside the refused ones", async () => {
    const res = await post("/v1/tickets", [ticket({}), ticket({ createdAt: "0001-01-01T00:00:00Z" })]);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ accepted: 1, rejected: 1 });
  });
});

describe("valid Unicode and visible ids", () => {
  it("refuses ids with lone surrogates, so they cannot collide with U+FFFD", async () => {
    const res = await post("/v1/tickets", [
      ticket({ externalId: "sur-\ud800" }), ticket({ externalId: "sur-\udbff" }), ticket({ externalId: "sur-\ufffd" }),
    ]);
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body.items.map((i: { index: number; status: string }) => [i.index, i.status])).toEqual([[2, "created"]]);
    expect(body.errors.map((e: { issues: { path: string }[] }) => e.issues[0]!.path)).toEqual(["items.0.externalId", "items.1.externalId"]);
    expect(body.errors[0].issues[0].message).toMatch(/lone UTF-16 surrogate/);
  });

  it("refuses text with lone surrogates instead of storing U+FFFD silently", async () => {
    expect(await issuesOf("/v1/tickets", ticket({ body: "broken \udc00 text" }))).toEqual([
      { path: "items.0.body", message: expect.stringMatching(/lone UTF-16 surrogate/) },
    ]);
    expect(await issuesOf("/v1/mentions", { platform: "reddit", externalId: randomId("m"), text: "\ud83d", postedAt: "2026-03-02T10:00:00Z" }))
      .toEqual([{ path: "items.0.text", message: expect.stringMatching(/surrogate/) }]);
    // a paired surrogate (an emoji) is fine
    expect(await issuesOf("/v1/tickets", ticket({ body: "thanks 🎉" }))).toEqual([]);
  });

  it("refuses ids made only of invisible characters and keys with NUL, $ or a dot", async () => {
    expect((await issuesOf("/v1/tickets", ticket({ externalId: "\u200b\u200d\ufeff" })))[0]).toMatchObject({
      path: "items.0.externalId", message: expect.stringMatching(/invisible/),
    });
    expect((await issuesOf("/v1/tickets", ticket({ externalId: "a\u0000b" })))[0]!.message).toMatch(/control character/);
    for (const key of ["nul\u0000key", "$where", "a.b"]) {
      const issues = await issuesOf("/v1/tickets", ticket({ customer: { attributes: { [key]: "x" } } }));
      expect(issues[0]!.path, key).toMatch(/^items\.0\.customer\.attributes/);
    }
    expect(await t.mongo.cols.items.countDocuments({ workspace: ws, "customer.attributes": { $exists: true } })).toBe(0);
  });
});
