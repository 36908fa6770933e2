import { enrichmentOf, makeTextAnalyzer, keywordsOf } from "../../shared/domain/nlp/index";
import { rawTokens } from "../../shared/domain/nlp/tokenize";
import { plainTextOf } from "../../shared/domain/nlp/text-cleanup";
import { loadAirline } from "./sentiment-data";
import Sentiment from "sentiment";
const texts = loadAirline().rows.map((r) => r.text);
const a = makeTextAnalyzer();
const corpus = { docCount: 1000, df: (_t: string) => 10 };
const analyses = texts.map((t) => a.analyze(t, { language: "en" }));
const af = new Sentiment();
let s = 0;
function rate(name: string, fn: (i: number) => void) {
  for (let i = 0; i < texts.length; i++) fn(i);
  let best = 0;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (let k = 0; k < 3; k++) for (let i = 0; i < texts.length; i++) fn(i);
    best = Math.max(best, (3 * texts.length) / ((performance.now() - t0) / 1000));
  }
  console.log(name.padEnd(20), Math.round(best));
}
rate("afinn", (i) => { s += af.analyze(texts[i]!).score; });
rate("plain", (i) => { s += plainTextOf(texts[i]!).length; });
rate("rawTokens", (i) => { s += rawTokens(texts[i]!).length; });
rate("analyze-hinted", (i) => { s += a.analyze(texts[i]!, { language: "en" }).tokens.length; });
rate("analyze", (i) => { s += a.analyze(texts[i]!).tokens.length; });
rate("keywords", (i) => { s += keywordsOf(analyses[i]!, corpus).length; });
rate("enrich-all", (i) => { s += enrichmentOf(a.analyze(texts[i]!), corpus).keywords.length; });
