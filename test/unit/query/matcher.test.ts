import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileMatcher, facetsOf, parseQuery, type MatchableItem } from "../../../shared/domain/query/index";
import { ticketInputSchema, mentionInputSchema, surveyInputSchema } from "../../../shared/domain/models";
import { bilingualNormalize, fakeNormalize, itemOf } from "./query-arbitraries";

const matches = (q: string, item: MatchableItem) => compileMatcher(parseQuery(q), fakeNormalize)(item).matched;

describe("compileMatcher: words, case and accents", () => {
  const item = itemOf("Still waiting for my refund after the flight was delayed");
  it.each([
    ["refund", true],
    ["Refunds", true],
    ["RÉFUND", true],
    ["refund flight", true],
    ["refund hotel", false],
    ["refund OR hotel", true],
    ["NOT hotel", true],
    ["-refund", false],
    ["and", false],
  ])("%s -> %s", (q, expected) => {
    expect(matches(q, item)).toBe(expected);
  });

  it("normalizes query words per item language", () => {
    const q = compileMatcher(parseQuery("wachten"), bilingualNormalize);
    const nl = { ...itemOf(""), enrichment: { language: "nl", tokens: ["wacht"], terms: ["wacht"] } };
    const en = { ...itemOf(""), enrichment: { language: "en", tokens: ["wacht"], terms: ["wacht"] } };
    expect(q(nl).matched).toBe(true);
    expect(q(en).matched).toBe(false);
  });

  it("a word that normalizes to nothing never matches", () => {
    const nl = { ...itemOf(""), enrichment: { language: "nl", tokens: [""], terms: [""] } };
    expect(compileMatcher(parseQuery("de"), bilingualNormalize)(nl).matched).toBe(false);
    expect(compileMatcher(parseQuery("NOT de"), bilingualNormalize)(nl).matched).toBe(true);
  });
});

describe("compileMatcher: phrases, NEAR and prefixes", () => {
  const item = itemOf("login failed with an error again and again after cancellation");
  it.each([
    ['"login failed"', true],
    ['"failed login"', false],
    ['"LOGIN Failed with"', true],
    ['"error"', true],
    ["login NEAR/3 error", true],
    ["login NEAR/2 error", false],
    ["error NEAR/3 login", true],
    ['"login failed" NEAR/2 error', true],
    ['"login failed" NEAR/1 error', false],
    ["with NEAR/0 an", true],
    ["an NEAR/0 with", true],
    ["again NEAR/0 again", false],
    ["again NEAR/1 again", true],
    ["login NEAR/0 login", false],
    ["cancel*", true],
    ["Cancél*", true],
    ["cancell*", true],
    ["logout*", false],
    ["NOT cancel*", false],
  ])("%s -> %s", (q, expected) => {
    expect(matches(q, item)).toBe(expected);
  });
});

describe("compileMatcher: positions against a naive definition (property)", () => {
  const occurrences = (tokens: string[], words: string[]) =>
    tokens.flatMap((_, i) => (words.every((w, k) => tokens[i + k] === w) ? [[i, i + words.length - 1] as const] : []));
  it("phrases and NEAR/n agree with enumerating every pair of occurrences", () => {
    const word = fc.constantFrom("a", "b", "c");
    const side = fc.array(word, { minLength: 1, maxLength: 2 });
    fc.assert(
      fc.property(fc.array(word, { maxLength: 12 }), side, side, fc.integer({ min: 0, max: 4 }), (tokens, l, r, n) => {
        const item = itemOf(tokens.join(" "));
        const q = (ws: string[]) => (ws.length === 1 ? ws[0]! : `"${ws.join(" ")}"`);
        const ls = occurrences(tokens, l);
        const rs = occurrences(tokens, r);
        const expected = ls.some(([a, ae]) => rs.some(([b, be]) => (b > ae && b - ae - 1 <= n) || (a > be && a - be - 1 <= n)));
        expect(matches(`${q(l)} NEAR/${n} ${q(r)}`, item)).toBe(expected);
        expect(matches(`"${l.join(" ")}"`, item)).toBe(ls.length > 0);
      }),
      { numRuns: 2_000 },
    );
  });

  it("stays fast on a long item full of common words", () => {
    // 5,000 "a" then 5,000 "b", never adjacent: a quadratic NEAR would compare 25M pairs
    const long = itemOf(Array.from({ length: 20_000 }, (_, i) => (i % 2 ? "x" : i < 10_000 ? "a" : "b")).join(" "));
    const m = compileMatcher(parseQuery('a NEAR/0 b OR "x a" NEAR/0 "b x"'), fakeNormalize);
    const start = performance.now();
    expect(m(long).matched).toBe(false);
    expect(performance.now() - start).toBeLessThan(1_000);
  });
});

describe("compileMatcher: fields and comparisons", () => {
  const ticket = itemOf("refund please", {
    kind: "ticket",
    facets: { kind: "ticket", channel: "email", tag: ["billing", "vip"], team: "tier 2", region: "eu", lang: "en", sentiment: "negative" },
  });
  const survey = itemOf("slow", { kind: "survey", score: 6, facets: { kind: "survey", tag: [] } });
  it.each<[string, MatchableItem, boolean]>([
    ["channel:email", ticket, true],
    ["channel:chat|email", ticket, true],
    ["channel:chat", ticket, false],
    ["tag:BILLING", ticket, true],
    ["tag:bug|vip", ticket, true],
    ['team:"Tier 2"', ticket, true],
    ["team:tier2", ticket, false],
    ["region:EU", ticket, true],
    ["kind:ticket|mention", ticket, true],
    ["kind:survey", ticket, false],
    ["sentiment:negative refund", ticket, true],
    ["lang:nl", ticket, false],
    ["score:<7", survey, true],
    ["score:<6", survey, false],
    ["score:<=6", survey, true],
    ["score:>=9", survey, false],
    ["score:6", survey, true],
    ["score:>5", survey, true],
    ["score:<7", ticket, false],
    ["NOT score:<7", ticket, true],
    ["-tag:bug", ticket, true],
    ["-team:x", survey, true],
  ])("%s", (q, item, expected) => {
    expect(matches(q, item)).toBe(expected);
  });
});

describe("compileMatcher: hits", () => {
  it("returns the matched stems of positive clauses, for highlighting", () => {
    const item = itemOf("refunds are late login error after cancellation");
    const m = compileMatcher(parseQuery('Refunds (late OR hotel) NOT flight "login error" cancel*'), fakeNormalize);
    const r = m(item);
    expect(r.matched).toBe(true);
    expect(r.hits.sort()).toEqual(["cancellation", "error", "late", "login", "refund"]);
  });

  it("is empty when the item does not match", () => {
    expect(compileMatcher(parseQuery("refund hotel"), fakeNormalize)(itemOf("refund")).hits).toEqual([]);
  });
});

describe("facetsOf", () => {
  const sentiment = { score: -0.5, label: "negative" as const, drivers: [] };
  it("folds ticket fields (case and accents) and tags", () => {
    const t = ticketInputSchema.parse({
      externalId: "1", source: "zendesk", channel: "email", status: "open", tags: ["Billing", "VIP", "billing"], team: "Équipe 2",
      customer: { segment: "Enterprise", plan: "Pro", region: "EU" }, createdAt: "2026-01-01T00:00:00Z",
    });
    expect(facetsOf("ticket", t, { language: "fr", sentiment })).toEqual({
      kind: "ticket", channel: "email", source: "zendesk", tag: ["billing", "vip"], team: "equipe 2",
      segment: "enterprise", plan: "pro", region: "eu", lang: "fr", sentiment: "negative",
    });
  });

  it("gives mentions their platform as source and no sentiment when it is null", () => {
    const m = mentionInputSchema.parse({ platform: "twitter", externalId: "9", text: "hi", postedAt: "2026-01-01T00:00:00Z" });
    expect(facetsOf("mention", m, { language: "en", sentiment: null })).toEqual({
      kind: "mention", source: "twitter", platform: "twitter", tag: [], lang: "en",
    });
  });

  it("covers survey answers", () => {
    const s = surveyInputSchema.parse({
      externalId: "s1", kind: "nps", score: 3, channel: "chat", team: "Tier 1", customer: { segment: "SMB" }, respondedAt: "2026-01-01T00:00:00Z",
    });
    expect(facetsOf("survey", s, { language: "en", sentiment })).toEqual({
      kind: "survey", channel: "chat", source: "api", tag: [], team: "tier 1", segment: "smb", lang: "en", sentiment: "negative",
    });
  });
});
