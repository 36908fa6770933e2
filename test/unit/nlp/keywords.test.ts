import { describe, expect, it } from "vitest";
import { idf, keywordsOf, makeTextAnalyzer, type CorpusStats } from "../../../shared/domain/nlp/index";

const analyzer = makeTextAnalyzer();
const corpusOf = (docCount: number, dfs: Record<string, number>): CorpusStats => ({ docCount, df: (t) => dfs[t] ?? 0 });

describe("idf", () => {
  it.each([
    [0, 0],
    [10, 0],
    [10, 10],
    [10, 50],
    [Number.NaN, 3],
    [5, -1],
  ])("is finite and >= 1 for N=%s, df=%s", (n, df) => {
    const v = idf(n, df);
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThanOrEqual(1);
  });
});

describe("keywordsOf", () => {
  it.each([
    ["en", "Hello, hello! I want a refund for my order", { hello: 900, refund: 20, order: 400, want: 700 }, "refund"],
    ["nl", "Hallo, hallo, ik wil mijn terugbetaling", { hallo: 900, terugbetal: 15, wil: 800 }, "terugbetal"],
    ["de", "Hallo, hallo, ich brauche eine Rückerstattung", { hallo: 900, ruckerstatt: 10, brauch: 600 }, "ruckerstatt"],
  ])("[%s] a domain term outranks a common one given corpus df: %s", (language, text, dfs, top) => {
    const a = analyzer.analyze(text, { language });
    const kws = keywordsOf(a, corpusOf(1000, dfs));
    expect(kws[0]?.term).toBe(top);
    const hello = kws.find((k) => k.term.startsWith("hallo") || k.term === "hello");
    expect(hello!.score).toBeLessThan(kws[0]!.score);
  });

  it("adds 2-3 word phrases of consecutive terms, stems joined by a space, with readable surfaces", () => {
    const a = analyzer.analyze("Refund requests keep failing. Refund requests are ignored.", { language: "en" });
    const kws = keywordsOf(a, corpusOf(100, { refund: 5, request: 10, keep: 60, fail: 20, ignor: 15 }), 20);
    const phrase = kws.find((k) => k.term === "refund request");
    expect(phrase).toMatchObject({ surface: "refund requests" });
    expect(kws.some((k) => k.term === "refund request keep")).toBe(true);
    // never across a sentence break
    expect(kws.some((k) => k.term.includes("fail refund"))).toBe(false);
  });

  it("never joins words across a removed stop word", () => {
    const a = analyzer.analyze("cancel my account", { language: "en" });
    expect(keywordsOf(a, corpusOf(0, {})).map((k) => k.term)).toEqual(["account", "cancel"]);
  });

  it("keeps handles and hashtags as keywords but not URLs, numbers or emoji", () => {
    const a = analyzer.analyze("@acme #outage 500 😡 https://acme.com/x", { language: "en" });
    expect(keywordsOf(a, corpusOf(10, {})).map((k) => k.term).sort()).toEqual(["#outage", "@acme"]);
  });

  it("respects the limit, is deterministic and works with an empty corpus", () => {
    const a = analyzer.analyze("alpha beta gamma delta epsilon zeta eta theta", { language: "en" });
    const k1 = keywordsOf(a, corpusOf(0, {}), 3);
    expect(k1).toHaveLength(3);
    expect(keywordsOf(a, corpusOf(0, {}), 3)).toEqual(k1);
    expect(k1.every((k) => Number.isFinite(k.score))).toBe(true);
  });

  it.each([
    ["short", "refund refund order order late"],
    ["long (past the linear-scan size)", Array.from({ length: 40 }, (_, i) => `w${i % 13}x`).join(" ")],
  ])("scores every term as (1 + ln tf) x idf whatever corpus came before (%s text)", (_, text) => {
    const a = analyzer.analyze(text, { language: "en" });
    const dfs: Record<string, number> = {};
    a.tokens.forEach((t, i) => (dfs[t] = i % 5));
    // alternate corpora: remembered idf values must follow the corpus asked
    for (const docCount of [10, 1000, 10, 0, 1000]) {
      for (const k of keywordsOf(a, corpusOf(docCount, dfs), 100)) {
        if (k.term.includes(" ")) continue;
        const tf = a.tokens.filter((t) => t === k.term).length;
        expect(k.score).toBeCloseTo((1 + Math.log(tf)) * idf(docCount, dfs[k.term] ?? 0), 3);
      }
    }
  });

  it("gives Chinese keywords from segmented words", () => {
    const a = analyzer.analyze("退款申请一直没有处理，退款太慢");
    const kws = keywordsOf(a, corpusOf(100, {}));
    expect(kws.map((k) => k.term)).toContain("退款");
  });
});
