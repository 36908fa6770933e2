import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileMatcher, compileMongoFilter, facetsOf, parseQuery, type MatchableItem } from "../../../shared/domain/query/index";
import { enrichmentOf, makeTextAnalyzer, normalizeQueryWord } from "../../../shared/domain/nlp/index";
import { ticketInputSchema, mentionInputSchema, surveyInputSchema } from "../../../shared/domain/models";
import { bilingualNormalize, enrichmentOfWords, fakeNormalize, itemOf } from "./query-arbitraries";

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

  it("a lone word that normalizes to nothing is ignored, per item language; in a phrase it counts", () => {
    const nl = { ...itemOf(""), enrichment: enrichmentOfWords(["wachten"], "nl", bilingualNormalize) };
    const en = { ...itemOf(""), enrichment: enrichmentOfWords(["wachten"], "en", bilingualNormalize) };
    const nlDe = { ...itemOf(""), enrichment: enrichmentOfWords(["de", "wachten"], "nl", bilingualNormalize) };
    expect(compileMatcher(parseQuery("de"), bilingualNormalize)(nl)).toEqual({ matched: true, hits: [] });
    expect(compileMatcher(parseQuery("NOT de"), bilingualNormalize)(nl).matched).toBe(false);
    expect(compileMatcher(parseQuery("de"), bilingualNormalize)(en).matched).toBe(false);
    expect(compileMatcher(parseQuery('"de wachten"'), bilingualNormalize)(nl).matched).toBe(false);
    expect(compileMatcher(parseQuery('"de wachten"'), bilingualNormalize)(nlDe).matched).toBe(true);
  });
});

describe("compileMatcher: stop words are ignored alone, and counted in phrases and NEAR", () => {
  // the fake's stop words: the, you, for, on
  const thanks = itemOf("thank you for the quick refund");
  const waiting = itemOf("still waiting for the refund");
  const other = itemOf("login error");
  it.each<[string, MatchableItem, boolean]>([
    // alone: ignored (matches every item)
    ["the", other, true],
    ["the", itemOf(""), true],
    ["NOT the", thanks, false],
    ["-the", other, false],
    ["the AND refund", thanks, true],
    ["the AND refund", other, false],
    ["the OR login", thanks, true],
    // quoted, a stop word is a word like any other
    ['"the"', other, false],
    ['"the"', thanks, true],
    ['"for the"', other, false],
    ['"for the"', thanks, true],
    ['NOT "you for"', thanks, false],
    ['NOT "you for"', other, true],
    // phrases with stop words: every word, in order, adjacent
    ['"thank you"', thanks, true],
    ['"thank you"', itemOf("you thank"), false],
    ['"thank you"', itemOf("thank the quick refund"), false],
    ['"thank you"', other, false],
    ['NOT "thank you"', thanks, false],
    ['NOT "thank you"', other, true],
    ['"thank you quick"', thanks, false],
    ['"thank you for the quick"', thanks, true],
    ['"waiting for refund"', waiting, false],
    ['"waiting for the refund"', waiting, true],
    ['"still waiting for the refund"', waiting, true],
    ['"waiting for the refund"', itemOf("waiting on the refund"), false],
    ['"on hold"', itemOf("put on hold again"), true],
    ['"on hold"', itemOf("hold on"), false],
    // NEAR/n counts every word between the sides, stop words included
    ["you NEAR/0 refund", thanks, false],
    ["you NEAR/2 refund", thanks, false],
    ["you NEAR/3 refund", thanks, true],
    ["thank NEAR/3 refund", thanks, false],
    ["thank NEAR/4 refund", thanks, true],
    ['refund NEAR/1 "for the"', thanks, true],
    ['refund NEAR/0 "for the"', thanks, false],
    ['refund NEAR/1 "for the"', other, false],
    ["NOT (the NEAR/2 you)", other, true],
    ["NOT (the NEAR/2 you)", thanks, false],
    ['"thank you" NEAR/3 refund', thanks, true],
    ['"thank you" NEAR/2 refund', thanks, false],
    // NEAR/nf: the left side first
    ["thank NEAR/4f refund", thanks, true],
    ["refund NEAR/4f thank", thanks, false],
    ["refund NEAR/4 thank", thanks, true],
    ['"for the" NEAR/1f refund', thanks, true],
    ['refund NEAR/1f "for the"', thanks, false],
  ])("%s on %#", (q, item, expected) => {
    expect(matches(q, item)).toBe(expected);
  });

  it("keeps hits free of empty stems", () => {
    expect(compileMatcher(parseQuery('the "thank you" you NEAR/2 quick'), fakeNormalize)(thanks)).toEqual({
      matched: true, hits: ["thank", "quick"],
    });
    expect(compileMatcher(parseQuery('the OR "for you"'), fakeNormalize)(other)).toEqual({ matched: true, hits: [] });
  });
});

describe("compileMatcher: hashtags and handles", () => {
  const tweet = itemOf("so done with this #REFUNDS mess @United");
  it.each<[string, MatchableItem, boolean]>([
    // a word also finds the hashtag with that word; a hashtag query only the hashtag
    ["refund", tweet, true],
    ["Refunds", tweet, true],
    ["#refunds", tweet, true],
    ["#Refunds", tweet, true],
    ["#refund", tweet, false],
    ["#refunds", itemOf("my refunds are late"), false],
    ["#refund", itemOf("my refund is late"), false],
    // handles
    ["@united", tweet, true],
    ["@UNITED", tweet, true],
    ["united", tweet, false],
    ["@united", itemOf("flew united again"), false],
    // camel-case hashtags are not split: the tag's word is "refundnow"
    ["refund", itemOf("#RefundNow"), false],
    ["refundnow", itemOf("#RefundNow"), true],
    // in a phrase or NEAR a word stands at its hashtag's place too
    ['"this refund"', tweet, true],
    ['"this #refunds mess"', tweet, true],
    ['"this #refunds mess"', itemOf("this refunds mess"), false],
    ["refund NEAR/0f @united", tweet, false],
    ["refund NEAR/1f @united", tweet, true],
  ])("%s on %#", (q, item, expected) => {
    expect(matches(q, item)).toBe(expected);
  });
});

describe("compileMatcher: with the real normalizer (the NLP core's words as written)", () => {
  const analyzer = makeTextAnalyzer();
  const item = (text: string): MatchableItem => {
    const e = enrichmentOf(analyzer.analyze(text, { language: "en" }), { docCount: 1, df: () => 1 });
    return { kind: "mention", enrichment: e, facets: { kind: "mention", tag: [] } };
  };
  const real = (q: string, text: string) => compileMatcher(parseQuery(q), normalizeQueryWord)(item(text)).matched;
  // one row per example of shared/domain/query/README.md ("What matches")
  it.each<[string, string, boolean]>([
    ['"still waiting"', "Still waited for a reply", true],
    ['"still waiting"', "I am waiting, still", false],
    ['"still waiting"', "Waiting for the refund", false],
    ['"on hold"', "I was put on hold for an hour", true],
    ['"on hold"', "Hold on, the app is down", false],
    ['"on hold"', "My order is held", false],
    ['"thank you"', "Thank you so much!", true],
    ['"thank you"', "Thanks, the refund arrived", false],
    ['"thank you"', "You should thank the agent", false],
    ["flight NEAR/2 delayed", "flight into atl is delayed", false],
    ["flight NEAR/3 delayed", "flight into atl is delayed", true],
    ["flight NEAR/3 delayed", "Delayed, again. The flight!", true],
    ["flight NEAR/3f delayed", "Delayed, again. The flight!", false],
    ["flight NEAR/3f delayed", "flight into atl is delayed", true],
    ["login NEAR/0 error", "login, error", true],
    ["refund", "Where is my #REFUND", true],
    ["#refund", "Where is my #REFUND", true],
    ["#refund", "Where is my refund", false],
    ["#refunds", "Where is my #REFUND", false],
    ["@united", "@United lost my bag", true],
    ["united", "@United lost my bag", false],
    ["refund", "#RefundNow", false],
    ['"my refund"', "Where is my #refund", true],
  ])("%s on %j -> %s", (q, text, expected) => {
    expect(real(q, text)).toBe(expected);
  });

  it("keeps the MongoDB filter a superset: a phrase requires its words' terms, not its stop words", () => {
    expect(compileMatcher(parseQuery('"thank you"'), normalizeQueryWord)(item("Thank you so much")).hits).toEqual(["thank"]);
    expect(compileMongoFilter(parseQuery('"thank you" OR "still waiting"'), normalizeQueryWord, ["en"])).toEqual({
      $or: [{ "enrichment.terms": "thank" }, { "enrichment.terms": normalizeQueryWord("waiting", "en") }],
    });
    expect(compileMongoFilter(parseQuery('NOT "thank you"'), normalizeQueryWord, ["en"])).toEqual({});
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
  it("phrases, NEAR/n and NEAR/nf agree with enumerating every pair of occurrences over the words as written", () => {
    // "the" is a stop word: no term, but it keeps its place and counts in phrases and NEAR;
    // "#b" is a hashtag, found by the word "b" too
    const word = fc.constantFrom("a", "b", "c", "the");
    const textWord = fc.constantFrom("a", "b", "c", "the", "#b");
    const side = fc.array(word, { minLength: 1, maxLength: 3 });
    const same = (w: string, q: string) => w === q || w === `#${q}`;
    fc.assert(
      fc.property(fc.array(textWord, { maxLength: 12 }), side, side, fc.integer({ min: 0, max: 4 }), fc.boolean(), (text, l, r, n, ordered) => {
        const item = itemOf(text.join(" "));
        const occurrences = (ws: string[]) =>
          text.flatMap((_, i) => (ws.every((w, k) => text[i + k] !== undefined && same(text[i + k]!, w)) ? [[i, i + ws.length - 1] as const] : []));
        const q = (ws: string[]) => (ws.length === 1 ? ws[0]! : `"${ws.join(" ")}"`);
        const ls = occurrences(l);
        const rs = occurrences(r);
        const expected = ls.some(([a, ae]) => rs.some(([b, be]) => (b > ae && b - ae - 1 <= n) || (!ordered && a > be && a - be - 1 <= n)));
        expect(matches(`${q(l)} NEAR/${n}${ordered ? "f" : ""} ${q(r)}`, item)).toBe(expected);
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
