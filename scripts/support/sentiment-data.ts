/**
 * Loaders for the public sentiment sets (a data directory holding `sentiment/…`: the airline
 * tweets, the VADER ground truths and the UCI sentences; not part of the repository) and the
 * scoring arithmetic used by scripts/eval-sentiment.ts and bench/nlp.ts.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export type Label = "negative" | "neutral" | "positive";
export interface Row {
  text: string;
  label: Label;
}
export interface DataSet {
  name: string;
  /** "3-class" sets have neutral rows; "binary" sets only positive and negative */
  kind: "3-class" | "binary";
  rows: Row[];
}

/** Default data directory: `../shared/data` beside the project root (this file is scripts/support/). */
export const DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../../shared/data");

/** Files the loaders read, relative to the data directory. */
export const SENTIMENT_FILES = [
  "sentiment/airline-tweets-dev.csv",
  "sentiment/vader-tweets-groundtruth.tsv",
  "sentiment/vader-amazon-groundtruth.tsv",
  "sentiment/uci-amazon.json",
  "sentiment/uci-imdb.json",
  "sentiment/uci-yelp.json",
] as const;

/**
 * The data directory given as `--data <dir>` (or `--data=<dir>`), else DATA_DIR. Exits with a
 * message naming what is missing when `needed` files are not there.
 */
export function dataDirOf(argv: readonly string[], needed: readonly string[] = SENTIMENT_FILES): string {
  const i = argv.indexOf("--data");
  const given = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith("--data="))?.slice("--data=".length);
  const dir = resolve(given ?? DATA_DIR);
  const missing = needed.filter((f) => !existsSync(resolve(dir, f)));
  if (missing.length) {
    process.stderr.write(
      `The public data sets are not in ${dir} (missing: ${missing.join(", ")}).\n` +
        `Give their directory with --data <dir>; it must hold ${needed.join(", ")}.\n`,
    );
    process.exit(2);
  }
  return dir;
}

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Airline tweets: `airline_sentiment` column, 3 classes. */
export function loadAirline(dir = DATA_DIR): DataSet {
  const [header, ...body] = parseCsv(readFileSync(resolve(dir, "sentiment/airline-tweets-dev.csv"), "utf8"));
  const iText = header!.indexOf("text");
  const iLabel = header!.indexOf("airline_sentiment");
  const rows = body
    .filter((r) => r.length > Math.max(iText, iLabel))
    .map((r) => ({ text: r[iText]!, label: r[iLabel] as Label }))
    .filter((r) => r.label === "negative" || r.label === "neutral" || r.label === "positive");
  return { name: "airline-tweets", kind: "3-class", rows };
}

/** VADER ground truth: `id \t mean rating \t text`; > 0.05 positive, < -0.05 negative (README). */
export function loadVader(file: "vader-tweets-groundtruth.tsv" | "vader-amazon-groundtruth.tsv", dir = DATA_DIR): DataSet {
  const rows: Row[] = [];
  for (const line of readFileSync(resolve(dir, "sentiment", file), "utf8").split(/\r?\n/)) {
    const [, rating, ...rest] = line.split("\t");
    const r = Number(rating);
    if (!rest.length || !Number.isFinite(r)) continue;
    rows.push({ text: rest.join("\t"), label: r > 0.05 ? "positive" : r < -0.05 ? "negative" : "neutral" });
  }
  return { name: file.replace("-groundtruth.tsv", ""), kind: "3-class", rows };
}

/** UCI sentences: `class` 0 negative, 1 positive. */
export function loadUci(set: "amazon" | "imdb" | "yelp", dir = DATA_DIR): DataSet {
  const data = JSON.parse(readFileSync(resolve(dir, `sentiment/uci-${set}.json`), "utf8")) as Array<{ text: string; class: number }>;
  return { name: `uci-${set}`, kind: "binary", rows: data.map((d) => ({ text: d.text, label: d.class === 1 ? "positive" : "negative" })) };
}

export function loadAll(dir = DATA_DIR): DataSet[] {
  return [
    loadAirline(dir),
    loadVader("vader-tweets-groundtruth.tsv", dir),
    loadVader("vader-amazon-groundtruth.tsv", dir),
    loadUci("amazon", dir),
    loadUci("imdb", dir),
    loadUci("yelp", dir),
  ];
}

/** Accuracy and macro-F1 (mean F1 over the classes of the set: 3, or 2 for binary sets). */
export function scoreOf(gold: readonly Label[], predicted: readonly Label[], classes: readonly Label[]) {
  let correct = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i] === predicted[i]) correct++;
  let f1Sum = 0;
  for (const c of classes) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < gold.length; i++) {
      if (predicted[i] === c && gold[i] === c) tp++;
      else if (predicted[i] === c) fp++;
      else if (gold[i] === c) fn++;
    }
    const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
    const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
    f1Sum += precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  }
  return { n: gold.length, accuracy: gold.length ? correct / gold.length : 0, macroF1: classes.length ? f1Sum / classes.length : 0 };
}
