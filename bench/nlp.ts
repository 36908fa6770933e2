/**
 * npm run bench:nlp [-- --json]
 *
 * Documents per second on one core (single thread) for:
 * - undercurrent: the whole enrichment of a short text — clean, tokenize once, detect language
 *   (no hint: the worst case), stems, keywords against corpus df, sentiment (analyze + enrichmentOf)
 * - undercurrent-hinted: the same with the item's language given (what a helpdesk usually sends)
 * - afinn: npm `sentiment`'s analyze() (sentiment only)
 * - vader: npm `vader-sentiment`'s SentimentIntensityAnalyzer.polarity_scores (sentiment only)
 * - naive-natural: WordTokenizer + natural's SentimentAnalyzer (English, PorterStemmer, afinn) +
 *   a new TfIdf per document with its term list, i.e. natural used as its README suggests
 * on the real airline tweets (`--data <dir>`, default ../shared/data). Each contender is warmed up
 * on two passes over the set, then timed for at least MEASURE_MS over whole passes, ROUNDS times interleaved with
 * the others; the best round is kept.
 * `--json` prints one JSON object with the rates and ratios.
 */
import vader from "vader-sentiment";
import Sentiment from "sentiment";
import SentimentAnalyzer from "natural/lib/natural/sentiment/SentimentAnalyzer";
import PorterStemmer from "natural/lib/natural/stemmers/porter_stemmer";
import { WordTokenizer } from "natural/lib/natural/tokenizers/regexp_tokenizer";
import TfIdf from "natural/lib/natural/tfidf/tfidf";
import { enrichmentOf, makeTextAnalyzer, type CorpusStats } from "../shared/domain/nlp/index";
import { dataDirOf, loadAirline } from "../scripts/support/sentiment-data";

const MEASURE_MS = 1500;
const ROUNDS = 3;
const json = process.argv.includes("--json");

const texts = loadAirline(dataDirOf(process.argv, ["sentiment/airline-tweets-dev.csv"])).rows.map((r) => r.text);

// Corpus df as the workers would keep it (built once, outside the timed loops).
const analyzer = makeTextAnalyzer();
const dfs = new Map<string, number>();
for (const t of texts) for (const term of new Set(analyzer.analyze(t).tokens)) dfs.set(term, (dfs.get(term) ?? 0) + 1);
const corpus: CorpusStats = { docCount: texts.length, df: (term) => dfs.get(term) ?? 0 };

const afinn = new Sentiment();
const tokenizer = new WordTokenizer();
const naturalSentiment = new SentimentAnalyzer("English", PorterStemmer as never, "afinn") as unknown as {
  getSentiment(words: string[]): number;
};

let sink = 0;
const contenders: Record<string, (text: string) => void> = {
  undercurrent: (t) => {
    sink += enrichmentOf(analyzer.analyze(t), corpus).keywords.length;
  },
  "undercurrent-hinted": (t) => {
    sink += enrichmentOf(analyzer.analyze(t, { language: "en" }), corpus).keywords.length;
  },
  afinn: (t) => {
    sink += afinn.analyze(t).score;
  },
  vader: (t) => {
    sink += vader.SentimentIntensityAnalyzer.polarity_scores(t).compound;
  },
  "naive-natural": (t) => {
    const words = tokenizer.tokenize(t);
    const s = naturalSentiment.getSentiment(words);
    const tfidf = new TfIdf();
    tfidf.addDocument(words.map((w) => w.toLowerCase()));
    sink += (Number.isFinite(s) ? s : 0) + tfidf.listTerms(0).length;
  },
};

function rateOf(fn: (text: string) => void): number {
  let docs = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < MEASURE_MS) {
    for (const t of texts) fn(t);
    docs += texts.length;
    elapsed = performance.now() - start;
  }
  return (docs / elapsed) * 1000;
}

// Warm every contender up, then interleave the timed rounds so that a noisy moment on a shared
// machine hits all of them alike; keep each one's best round.
for (const fn of Object.values(contenders)) for (let k = 0; k < 2; k++) for (const t of texts) fn(t);
const rates: Record<string, number> = {};
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, fn] of Object.entries(contenders)) rates[name] = Math.round(Math.max(rates[name] ?? 0, rateOf(fn)));
}
const ours = rates.undercurrent!;
const ratios = {
  vsVader: round(ours / rates.vader!),
  vsNaiveNatural: round(ours / rates["naive-natural"]!),
  vsAfinn: round(ours / rates.afinn!),
};
const targets = { vsVader: 5, vsNaiveNatural: 3, vsAfinn: 0.5 };

if (json) {
  console.log(JSON.stringify({ docs: texts.length, docsPerSec: rates, ratios, targets, node: process.version }));
} else {
  console.log(`airline tweets, ${texts.length} docs, one core, best of ${ROUNDS} interleaved rounds of ${MEASURE_MS} ms after warm-up`);
  for (const [name, r] of Object.entries(rates)) console.log(`${name.padEnd(22)} ${String(r).padStart(9)} docs/s`);
  for (const [k, v] of Object.entries(ratios)) {
    const t = targets[k as keyof typeof targets];
    console.log(`undercurrent ${k.padEnd(16)} ${v.toFixed(2)}x  (target >= ${t}x: ${v >= t ? "met" : "MISSED"})`);
  }
}
if (sink === 42.4242) console.log(""); // keep the work observable to the optimiser

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
