/**
 * npm run eval:sentiment [-- --json]
 *
 * Scores our analyzer, VADER (npm vader-sentiment) and AFINN (npm sentiment) on every public set
 * (`--data <dir>`, default ../shared/data; see scripts/support/sentiment-data.ts) and prints
 * accuracy and macro-F1 per set side by side. `--json`
 * prints one line per set and analyzer: {"set","analyzer","n","accuracy","macroF1"}.
 * `--only=undercurrent,afinn` runs a subset of the analyzers.
 *
 * How scores become labels:
 * - 3-class sets: undercurrent uses its own label (neutral within ±0.05); VADER compound ≥ 0.05
 *   positive, ≤ -0.05 negative (the VADER paper's convention); AFINN score > 0 positive, < 0
 *   negative, 0 neutral.
 * - binary sets (UCI): each analyzer's score is read as positive when >= 0 and negative when < 0
 *   (so "no opinion found" counts as positive for all three alike), and macro-F1 is over the
 *   two classes. A null sentiment (never expected here) counts as neutral / positive.
 * Every set is English, so undercurrent gets the hint { language: "en" }: this measures sentiment,
 * not language detection.
 */
import vader from "vader-sentiment";
import Sentiment from "sentiment";
import { makeTextAnalyzer } from "../shared/domain/nlp/index";
import { dataDirOf, loadAll, scoreOf, type Label } from "./support/sentiment-data";

type Scorer = (text: string) => { label: Label; score: number };

const analyzer = makeTextAnalyzer();
const afinn = new Sentiment();
const labelOf = (s: number, threshold: number): Label => (s >= threshold ? "positive" : s <= -threshold ? "negative" : "neutral");

const SCORERS: Record<string, Scorer> = {
  undercurrent: (text) => {
    const s = analyzer.analyze(text, { language: "en" }).sentiment;
    return s ? { label: s.label, score: s.score } : { label: "neutral", score: 0 };
  },
  vader: (text) => {
    const c = vader.SentimentIntensityAnalyzer.polarity_scores(text).compound;
    return { label: labelOf(c, 0.05), score: c };
  },
  afinn: (text) => {
    const s = afinn.analyze(text).score;
    return { label: s > 0 ? "positive" : s < 0 ? "negative" : "neutral", score: s };
  },
};

const json = process.argv.includes("--json");
const dataDir = dataDirOf(process.argv);
// --only=undercurrent,vader limits the analyzers (handy while working on rules)
const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7).split(",");
const results: Array<{ set: string; analyzer: string; n: number; accuracy: number; macroF1: number }> = [];
for (const set of loadAll(dataDir)) {
  const gold = set.rows.map((r) => r.label);
  const classes: Label[] = set.kind === "binary" ? ["negative", "positive"] : ["negative", "neutral", "positive"];
  for (const [name, score] of Object.entries(SCORERS)) {
    if (only && !only.includes(name)) continue;
    const predicted = set.rows.map((r) => {
      const p = score(r.text);
      return set.kind === "binary" ? (p.score >= 0 ? "positive" : "negative") : p.label;
    });
    const s = scoreOf(gold, predicted, classes);
    const row = { set: set.name, analyzer: name, n: s.n, accuracy: round(s.accuracy), macroF1: round(s.macroF1) };
    results.push(row);
    if (json) console.log(JSON.stringify(row));
  }
}

if (!json) {
  const sets = [...new Set(results.map((r) => r.set))];
  const names = Object.keys(SCORERS).filter((n) => !only || only.includes(n));
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(pad("set", 22) + pad("n", 7) + names.map((n) => pad(`${n} acc/F1`, 22)).join(""));
  for (const set of sets) {
    const rows = names.map((n) => results.find((r) => r.set === set && r.analyzer === n)!);
    console.log(
      pad(set, 22) + pad(String(rows[0]!.n), 7) + rows.map((r) => pad(`${r.accuracy.toFixed(3)} / ${r.macroF1.toFixed(3)}`, 22)).join(""),
    );
  }
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
