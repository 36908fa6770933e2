import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nearDuplicateKeyOf, nearDuplicateWords } from "../../../shared/domain/terms/index";
import { enrichmentOfText } from "./corpus";

const keyOfText = (text: string, kind = "mention") => nearDuplicateKeyOf({ kind, text, enrichment: enrichmentOfText(text) });
const keyOfTokens = (tokens: string[], kind = "mention", text?: string) =>
  nearDuplicateKeyOf(text === undefined ? { kind, enrichment: { tokens } } : { kind, text, enrichment: { tokens } });

describe("nearDuplicateKeyOf: texts that collapse", () => {
  it.each([
    ["a retweet", "Acme app is down", "RT @alice: Acme app is down https://t.co/a1"],
    ["retweets by different people with different links", "RT @bob: Acme app is DOWN!!! https://t.co/b2", "RT @carol: acme app is down… http://t.co/zz"],
    ["a template to different handles and numbers", "@united my flight 123 was cancelled 😡", "@delta My flight 4567 was cancelled!!"],
    ["case, punctuation and accents", "Café closed; REFUND please.", "cafe closed refund please"],
    ["inflection and stop words", "Refunds are late", "refund late"],
    ["a hashtag and its word", "#refund now", "refund now"],
    ["ordinals and quantities", "my 1st order, 10k at 5pm", "my 2nd order, 20k at 6pm"],
    ["digits inside a longer word", "order123 lost", "order9 lost"],
    ["emoji and emoticons", "X is down 😡", "X is down :("],
    ["only handles and emoji, retweeted", "@united 😡", "RT @bob: @united 😡"],
    ["stop words only, differing in case and punctuation", "It is what it is", "it is... what it IS!"],
  ])("%s", (_why, a, b) => {
    expect(keyOfText(a)).toBe(keyOfText(b));
  });
});

describe("nearDuplicateKeyOf: texts that stay apart", () => {
  it.each([
    ["one word differs", "my flight was cancelled", "my train was cancelled"],
    ["word order differs", "refund not order", "order not refund"],
    ["emoji-only replies to different accounts", "@united 😡", "@delta 😡"],
    ["a filled-in template word", "Hi, I'm Anna and my order is late", "Hi, I'm Ben and my order is late"],
    ["stop-word-only texts that differ", "it is what it is", "what it was"],
  ])("%s", (_why, a, b) => {
    expect(keyOfText(a)).not.toBe(keyOfText(b));
  });

  it("separates kinds: the same words in a ticket and a tweet are two voices", () => {
    expect(keyOfText("refund please", "ticket")).not.toBe(keyOfText("refund please", "mention"));
  });
});

describe("nearDuplicateKeyOf: shape and edge cases", () => {
  it("is '<kind>:' and 16 hex digits", () => {
    expect(keyOfText("refund please", "ticket")).toMatch(/^ticket:[0-9a-f]{16}$/);
  });

  it("gives all empty items of a kind one key, with or without text", () => {
    expect(keyOfTokens([])).toBe(keyOfTokens([], "mention", ""));
    expect(keyOfTokens([], "mention", "  !!! ")).toBe(keyOfTokens([]));
    expect(keyOfTokens([], "ticket")).not.toBe(keyOfTokens([]));
  });

  it("does not confuse a word sequence with a fallback sequence or a text", () => {
    expect(keyOfTokens(["down"])).not.toBe(keyOfTokens(["@down"]));
    expect(keyOfTokens([], "mention", "down")).not.toBe(keyOfTokens(["down"]));
  });

  it("keeps token boundaries: ['ab','c'] is not ['a','bc']", () => {
    expect(keyOfTokens(["ab", "c"])).not.toBe(keyOfTokens(["a", "bc"]));
  });

  it("lists the deciding words", () => {
    expect(nearDuplicateWords(["rt", "@bob", "acm", "app", "down", "https://t.co/x", "123", "😡", "#fail", "1st", "order42"])).toEqual([
      "acm",
      "app",
      "down",
      "fail",
      "order",
    ]);
  });

  it("property: inserting handles, URLs, numbers, emoji or 'rt' anywhere never changes the key", () => {
    const word = fc.constantFrom("refund", "late", "deliveri", "down", "app", "acm", "#fail", "café");
    const noise = fc.constantFrom("rt", "@bob", "@united", "https://t.co/abc", "www.x.com/a", "123", "4,500", "😡", "🙂", "3rd", "10k");
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), fc.array(fc.tuple(fc.nat(), noise), { maxLength: 6 }), (words, inserts) => {
        const noisy: string[] = [...words];
        for (const [at, n] of inserts) noisy.splice(at % (noisy.length + 1), 0, n);
        expect(keyOfTokens(noisy)).toBe(keyOfTokens(words));
      }),
    );
  });

  it("property: different word sequences get different keys (no collisions in a sample)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.array(fc.stringMatching(/^[a-z]{2,6}$/), { minLength: 1, maxLength: 4 }), {
        minLength: 2,
        maxLength: 50,
        selector: (ws) => ws.join(" "),
      }), (seqs) => {
        const keys = new Set(seqs.map((s) => keyOfTokens(s)));
        expect(keys.size).toBe(seqs.length);
      }),
    );
  });
});
