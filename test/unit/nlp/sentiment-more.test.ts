import { describe, expect, it } from "vitest";
import { keywordsOf, makeTextAnalyzer, type CorpusStats } from "../../../shared/domain/nlp/index";

const analyzer = makeTextAnalyzer();
const sentimentOf = (text: string) => analyzer.analyze(text, { language: "en" }).sentiment;
const scoreOf = (text: string) => sentimentOf(text)?.score ?? Number.NaN;

describe("emoticon and emoji variants mean what their base means", () => {
  it.each([
    [":-)))", ":)"],
    [":(((", ":("],
    ["<333", "<3"],
    ["👍🏽", "👍"],
    ["👎🏿", "👎"],
    [":-D", ":D"],
    [":DDD", ":D"],
    [":PP", ":P"],
  ])("%s scores like %s", (variant, base) => {
    expect(scoreOf(`the order arrived ${variant}`)).toBeCloseTo(scoreOf(`the order arrived ${base}`), 6);
  });

  it.each([
    ["the flight is late again -_-", "negative"],
    ["that was the best party ever 🥳", "positive"],
    ["cannot log in :S", "negative"],
    ["the update broke my settings >.<", "negative"],
  ])("%s -> %s", (text, label) => {
    expect(sentimentOf(text)?.label).toBe(label);
  });
});

describe("word forms the vocabulary lacks", () => {
  it.each([
    ["the happiest day", "positive"],
    ["the saddest news", "negative"],
    ["the nicest staff", "positive"],
    ["the funnier sequel", "positive"],
    ["lovin it", "positive"],
    ["lovin' every minute", "positive"],
    ["the latest version", "neutral"],
    ["this app is subpar", "negative"],
    ["the movie was tedious and overrated", "negative"],
    ["a stellar, impeccable meal", "positive"],
    ["ew, yuck", "negative"],
    ["hooray, it works", "positive"],
  ])("%s -> %s", (text, label) => {
    expect(sentimentOf(text)?.label).toBe(label);
  });
});

describe("degree modifiers", () => {
  it.each([
    ["good", "sooo good"],
    ["good", "reallyyy good"],
    ["bad", "thoroughly bad"],
    ["great", "tremendously great"],
  ])("'%s' is weaker than '%s'", (weak, strong) => {
    expect(Math.abs(scoreOf(strong))).toBeGreaterThan(Math.abs(scoreOf(weak)));
  });

  it.each([
    ["damn good", "positive"],
    ["fucking awesome", "positive"],
    ["pretty bad", "negative"],
    ["pretty good", "positive"],
    ["damn", "negative"],
  ])("swearing and 'pretty' intensify the next sentiment word: %s -> %s", (text, label) => {
    expect(sentimentOf(text)?.label).toBe(label);
  });

  it("'almost perfect' is still positive but weaker than 'perfect'", () => {
    expect(scoreOf("almost perfect")).toBeGreaterThan(0);
    expect(scoreOf("almost perfect")).toBeLessThan(scoreOf("perfect"));
  });
});

describe("negation and review idioms", () => {
  it.each([
    ["the least helpful agent", "negative"],
    ["at least it was good", "positive"],
    ["it rarely works well", "negative"],
    ["we will be back", "positive"],
    ["we won't be back", "negative"],
    ["top notch service", "positive"],
    ["total rip off", "negative"],
    ["nothing special", "negative"],
    ["stay away from this place", "negative"],
  ])("%s -> %s", (text, label) => {
    expect(sentimentOf(text)?.label).toBe(label);
  });
});

describe("keywords", () => {
  /** the straightforward reference: every candidate, full sort by score then term */
  function reference(tokens: string[], positions: number[], df: (t: string) => number, n: number, limit: number) {
    const idf = (d: number) => Math.log((1 + n) / (1 + Math.min(n, d))) + 1;
    const kind = (t: string) => (/^[a-z]/.test(t) && t.length >= 2 ? 2 : t.startsWith("#") && t.length >= 2 ? 1 : 0);
    const cands = new Map<string, { tf: number; idf: number }>();
    for (let i = 0; i < tokens.length; i++) {
      if (kind(tokens[i]!) === 0) continue;
      const c = cands.get(tokens[i]!) ?? { tf: 0, idf: idf(df(tokens[i]!)) };
      c.tf++;
      cands.set(tokens[i]!, c);
    }
    for (let i = 0; i < tokens.length; i++) {
      if (kind(tokens[i]!) !== 2) continue;
      let sum = idf(df(tokens[i]!));
      for (let len = 2; len <= 3; len++) {
        const j = i + len - 1;
        if (j >= tokens.length || kind(tokens[j]!) !== 2 || positions[j] !== positions[j - 1]! + 1) break;
        sum += idf(df(tokens[j]!));
        const term = tokens.slice(i, j + 1).join(" ");
        const c = cands.get(term) ?? { tf: 0, idf: (sum / len) * 1.1 };
        c.tf++;
        cands.set(term, c);
      }
    }
    return [...cands]
      .map(([term, c]) => ({ term, score: Math.round((1 + Math.log(c.tf)) * c.idf * 1e4) / 1e4 }))
      .sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : 1))
      .slice(0, limit);
  }

  it("the top-k selection equals a full sort on random token streams", () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const vocab = ["refund", "re", "ref", "refunds", "order", "late", "#fail", "agent", "x", "help", "card", "charge", "app", "login", "1234"];
    for (let k = 0; k < 300; k++) {
      const n = 1 + Math.floor(rnd() * 40);
      const tokens: string[] = [];
      const positions: number[] = [];
      let pos = 0;
      for (let i = 0; i < n; i++) {
        tokens.push(vocab[Math.floor(rnd() * vocab.length)]!);
        pos += rnd() < 0.2 ? 2 : 1;
        positions.push(pos);
      }
      const dfMap = new Map(vocab.map((v, i) => [v, i % 4]));
      const corpus: CorpusStats = { docCount: 10, df: (t) => dfMap.get(t) ?? 0 };
      const limit = 1 + Math.floor(rnd() * 12);
      const got = keywordsOf({ language: "en", tokens, surfaces: tokens, positions, words: tokens, tagTerms: [], sentiment: null }, corpus, limit);
      expect(got.map((g) => ({ term: g.term, score: g.score }))).toEqual(reference(tokens, positions, corpus.df, 10, limit));
    }
  });
});
