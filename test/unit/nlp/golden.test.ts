import { describe, expect, it } from "vitest";
import golden from "../../fixtures/sentiment-golden.json";
import { makeTextAnalyzer } from "../../../shared/domain/nlp/index";

const analyzer = makeTextAnalyzer();

describe("sentiment golden set (our own support sentences)", () => {
  it.each(golden.cases)("[$lang] $text -> $label", ({ lang, text, label }) => {
    const a = analyzer.analyze(text, { language: lang });
    expect(a.sentiment?.label).toBe(label);
  });

  it("detects the language of every golden sentence without a hint", () => {
    const wrong = golden.cases.filter((c) => analyzer.analyze(c.text).language !== c.lang).map((c) => c.text);
    expect(wrong).toEqual([]);
  });
});
