import { describe, expect, it } from "vitest";
import { normalizeQueryWord } from "../../../shared/domain/nlp";
import { highlightsOf } from "../../../shared/domain/searches/highlight";

describe("highlightsOf", () => {
  it("marks every word whose normalized form was matched, whatever its inflection or case", () => {
    const text = "Refunds are late. Where is my REFUND? Delayed again";
    const spans = highlightsOf(text, ["refund", normalizeQueryWord("delayed", "en")], "en", normalizeQueryWord);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(["Refunds", "REFUND", "Delayed"]);
  });

  it("splits phrase hits into their words and returns nothing without hits", () => {
    const text = "refund request pending";
    const phrase = ["refund", "request"].map((w) => normalizeQueryWord(w, "en")).join(" ");
    expect(highlightsOf(text, [phrase], "en", normalizeQueryWord).map((s) => s.start)).toEqual([0, 7]);
    expect(highlightsOf(text, [], "en", normalizeQueryWord)).toEqual([]);
  });

  it("marks a hashtag found by its word, and by itself", () => {
    const text = "where is my #Refunds @united";
    const slices = (hits: string[]) => highlightsOf(text, hits, "en", normalizeQueryWord).map((s) => text.slice(s.start, s.end));
    expect(slices(["refund"])).toEqual(["#Refunds"]);
    expect(slices(["#refunds", "@united"])).toEqual(["#Refunds", "@united"]);
    expect(slices(["#refund"])).toEqual([]);
  });
});
