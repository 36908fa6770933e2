import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileMatcher, compileMongoFilter, facetsOf, parseQuery, type MatchableItem } from "../../../shared/domain/query/index";
import { enrichmentOf, makeTextAnalyzer, normalizeQueryWord } from "../../../shared/domain/nlp/index";
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

  it("a word that normalizes to nothing is ignored, per item language", () => {
    const nl = { ...itemOf(""), enrichment: { language: "nl", tokens: ["wacht"], terms: ["wacht"] } };
    const en = { ...itemOf(""), enrichment: { language: "en", tokens: ["wacht"], terms: ["wacht"] } };
    expect(compileMatcher(parseQuery("de"), bilingualNormalize)(nl)).toEqual({ matched: true, hits: [] });
    expect(compileMatcher(parseQuery("NOT de"), bilingualNormalize)(nl).matched).toBe(false);
    expect(compileMatcher(parseQuery("de"), bilingualNormalize)(en).matched).toBe(false);
    expect(compileMatcher(parseQuery('"de wachten"'), bilingualNormalize)(nl).matched).toBe(true);
  });
});

describe("compileMatcher: stop words (normalized to \"\") are ignored", () => {
  const thanks = itemOf("thank you for the quick refund");
  const waiting = itemOf("still waiting for the refund");
  const other = itemOf("login error");
  it.each<[string, MatchableItem, boolean]>([
    ["the", other, true],
    ["the", itemOf(""), true],
    ['"the"', other, true],
    ['"for the"', other, true],
    ["NOT the", thanks, false],
    ["-the", other, false],
    ['NOT "you for"', thanks, false],
    ["the AND refund", thanks, true],
    ["the AND refund", other, false],
    ["the OR login", thanks, true],
    ['"thank you"', thanks, true],
    ['"thank you"', itemOf("you thank"), true],
    ['"thank you"', other, false],
    ['NOT "thank you"', thanks, false],
    ['NOT "thank you"', other, true],
    ['"thank you quick"', thanks, true],
    ['"waiting for refund"', waiting, true],
    ['"waiting for the refund"', waiting, true],
    ['"still waiting for refund"', waiting, true],
    ['"waiting for refund"', itemOf("waiting on a refund"), false],
    ["you NEAR/0 refund", thanks, true],
    ["you NEAR/0 hotel", thanks, false],
    ['refund NEAR/1 "for the"', other, false],
    ['"the you" NEAR/3 for', other, true],
    ['NOT (the NEAR/2 you)', other, false],
    ['"thank you" NEAR/1 refund', thanks, true],
    ['"thank you" NEAR/0 refund', thanks, false],
  ])("%s on %#", (q, item, expected) => {
    expect(matches(q, item)).toBe(expected);
  });

  it("keeps hits free of empty stems", () => {
    expect(compileMatcher(parseQuery('the "thank you" you NEAR/2 quick'), fakeNormalize)(thanks)).toEqual({
      matched: true, hits: ["thank", "quick"],
    });
    expect(compileMatcher(parseQuery('the OR "for you"'), fakeNormalize)(other)).toEqual({ matched: true, hits: [] });
  });

  it("works with the real normalizer: \"thank you\" and \"still waiting\"", () => {
    const analyzer = makeTextAnalyzer();
    const item = (text: string): MatchableItem => {
      const e = enrichmentOf(analyzer.analyze(text, { language: "en" }), { docCount: 1, df: () => 1 });
      return { kind: "ticket", enrichment: e, facets: { kind: "ticket", tag: [] } };
    };
    const thank = item("Thank you so much for the quick refund!");
    const still = item("I am still waiting for my refund.");
    const login = item("Login error again.");
    const real = (q: string, i: MatchableItem) => compileMatcher(parseQuery(q), normalizeQueryWord)(i).matched;
    expect(real('"thank you"', thank)).toBe(true);
    expect(real('"thank you"', still)).toBe(false);
    expect(real('"still waiting"', still)).toBe(true);
    expect(real('"still waiting"', thank)).toBe(false);
    expect(real("still waiting refund", still)).toBe(true);
    expect(real('NOT "thank you"', thank)).toBe(false);
    expect(real('NOT "thank you"', login)).toBe(true);
    expect(compileMatcher(parseQuery('"thank you"'), normalizeQueryWord)(thank).hits).toEqual(["thank"]);
    expect(compileMongoFilter(parseQuery('"thank you" OR "still waiting"'), normalizeQueryWord, ["en"])).toEqual({
      $or: [{ "enrichment.terms": "thank" }, { "enrichment.terms": normalizeQueryWord("waiting", "en") }],
    });
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
  it("phrases and NEAR/n agree with enumerating every pair of occurrences (stop words ignored)", () => {
    // "the" is a stop word: dropped from the stored tokens and ignored in the query
    const word = fc.constantFrom("a", "b", "c", "the");
    const side = fc.array(word, { minLength: 1, maxLength: 3 });
    const content = (ws: string[]) => ws.filter((w) => w !== "the");
    fc.assert(
      fc.property(fc.array(word, { maxLength: 12 }), side, side, fc.integer({ min: 0, max: 4 }), (text, l0, r0, n) => {
        const item = itemOf(text.join(" "));
        const q = (ws: string[]) => (ws.length === 1 ? ws[0]! : `"${ws.join(" ")}"`);
        const [tokens, l, r] = [content(text), content(l0), content(r0)];
        const ls = occurrences(tokens, l);
        const rs = occurrences(tokens, r);
        const expected =
          l.length === 0 || r.length === 0
            ? (l.length === 0 ? rs : ls).length > 0 || (l.length === 0 && r.length === 0)
            : ls.some(([a, ae]) => rs.some(([b, be]) => (b > ae && b - ae - 1 <= n) || (a > be && a - be - 1 <= n)));
        expect(matches(`${q(l0)} NEAR/${n} ${q(r0)}`, item)).toBe(expected);
        expect(matches(`"${l0.join(" ")}"`, item)).toBe(l.length === 0 || ls.length > 0);
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
