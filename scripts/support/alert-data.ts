/**
 * Reading a directory of labelled count series in NAB's layout (`npm run eval:alerts`):
 * - one CSV per series with the header `timestamp,value` (value a count ≥ 0, one row per bucket);
 * - `windows.json`: `{ "<file>.csv": [["<start>", "<end>"], ...] }`, both ends rows of the file;
 * - optionally `nab-published-raw-scores.csv`: `detector,file,raw_standard_score,...` (NAB's
 *   published raw standard-profile scores, for side-by-side tables).
 * Every problem is reported with the file and what is wrong, so a wrong directory says so.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseNabTimestamp, windowsToRows, type NabWindow } from "../../shared/domain/alerts/nab-score";

export interface LabelledSeries {
  file: string;
  /** timestamps as written in the file */
  timestamps: string[];
  /** the same, ms since the epoch (UTC) */
  times: number[];
  values: number[];
  windows: NabWindow[];
}

export interface PublishedScore {
  detector: string;
  file: string;
  raw: number;
}

export interface AlertDataSet {
  dir: string;
  series: LabelledSeries[];
  /** CSV files in the directory that windows.json does not mention (not scored) */
  unlabelled: string[];
  published: PublishedScore[];
}

export class AlertDataError extends Error {
  override name = "AlertDataError";
}

const LAYOUT =
  "expected: one CSV per series (header timestamp,value) and windows.json mapping each CSV file name to its " +
  "anomaly windows [[start, end], ...]; optionally nab-published-raw-scores.csv";

/**
 * The data set of a script's command line: `positional[0]`, or the shared data beside the
 * repository. Null (after printing why, prefixed by `script`) when it cannot be read.
 */
export function loadAlertDataArg(positional: readonly string[], script: string): AlertDataSet | null {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
  const dir = resolve(positional[0] ?? join(root, "..", "shared", "data", "alerts"));
  try {
    return loadAlertDataSet(dir, script);
  } catch (err) {
    if (!(err instanceof AlertDataError)) throw err;
    process.stderr.write(`${script}: ${err.message}\n`);
    return null;
  }
}

export function loadAlertDataSet(dir: string, script = "eval:alerts"): AlertDataSet {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new AlertDataError(`no data directory at ${dir}; pass one (npm run ${script} -- <dir>). ${LAYOUT}`);
  }
  const windowsPath = join(dir, "windows.json");
  if (!existsSync(windowsPath)) throw new AlertDataError(`${windowsPath} is missing; ${LAYOUT}`);
  let labels: Record<string, [string, string][]>;
  try {
    labels = JSON.parse(readFileSync(windowsPath, "utf8"));
  } catch (err) {
    throw new AlertDataError(`${windowsPath} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof labels !== "object" || labels === null || Array.isArray(labels)) {
    throw new AlertDataError(`${windowsPath} must be an object {"<file>.csv": [[start, end], ...]}`);
  }
  const csvs = readdirSync(dir).filter((f) => f.endsWith(".csv") && f !== "nab-published-raw-scores.csv").sort();
  const missing = Object.keys(labels).filter((f) => !csvs.includes(f));
  if (missing.length > 0) throw new AlertDataError(`windows.json names series that are not in ${dir}: ${missing.join(", ")}`);
  if (Object.keys(labels).length === 0) throw new AlertDataError(`${windowsPath} names no series`);
  const series = Object.keys(labels)
    .sort()
    .map((file) => readSeries(dir, file, labels[file]!));
  const publishedPath = join(dir, "nab-published-raw-scores.csv");
  return {
    dir,
    series,
    unlabelled: csvs.filter((f) => !(f in labels)),
    published: existsSync(publishedPath) ? readPublished(publishedPath) : [],
  };
}

function readSeries(dir: string, file: string, windows: unknown): LabelledSeries {
  const path = join(dir, file);
  const lines = readFileSync(path, "utf8").split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = lines.shift()?.trim().toLowerCase();
  if (header !== "timestamp,value") throw new AlertDataError(`${path}: the header must be timestamp,value (found ${JSON.stringify(header)})`);
  const timestamps: string[] = [];
  const times: number[] = [];
  const values: number[] = [];
  lines.forEach((line, i) => {
    const [ts, v, extra] = line.split(",");
    const value = Number(v);
    if (ts === undefined || v === undefined || extra !== undefined || !Number.isFinite(value) || value < 0) {
      throw new AlertDataError(`${path} line ${i + 2}: expected <timestamp>,<count ≥ 0>, found ${JSON.stringify(line)}`);
    }
    let t: number;
    try {
      t = parseNabTimestamp(ts);
    } catch (err) {
      throw new AlertDataError(`${path} line ${i + 2}: ${(err as Error).message}`);
    }
    if (times.length > 0 && t <= times[times.length - 1]!) {
      throw new AlertDataError(`${path} line ${i + 2}: timestamps must increase (${ts} after ${timestamps[timestamps.length - 1]})`);
    }
    timestamps.push(ts.trim());
    times.push(t);
    values.push(value);
  });
  if (values.length < 2) throw new AlertDataError(`${path}: fewer than 2 rows`);
  if (!Array.isArray(windows) || !windows.every((w) => Array.isArray(w) && w.length === 2 && w.every((x) => typeof x === "string"))) {
    throw new AlertDataError(`windows.json: the windows of ${file} must be [[start, end], ...] of timestamp strings`);
  }
  let rows: NabWindow[];
  try {
    rows = windowsToRows(timestamps, windows as [string, string][]);
  } catch (err) {
    throw new AlertDataError(`windows.json, ${file}: ${(err as Error).message}`);
  }
  return { file, timestamps, times, values, windows: rows };
}

function readPublished(path: string): PublishedScore[] {
  const lines = readFileSync(path, "utf8").split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = (lines.shift() ?? "").split(",");
  const [d, f, r] = ["detector", "file", "raw_standard_score"].map((c) => header.indexOf(c));
  if (d! < 0 || f! < 0 || r! < 0) throw new AlertDataError(`${path}: needs the columns detector, file, raw_standard_score`);
  return lines.map((line, i) => {
    const cells = line.split(",");
    const raw = Number(cells[r!]);
    if (!Number.isFinite(raw)) throw new AlertDataError(`${path} line ${i + 2}: raw_standard_score is not a number`);
    return { detector: cells[d!]!, file: cells[f!]!, raw };
  });
}

/** The bucket length of a series in seconds: its most common step between rows. */
export function bucketSecOf(times: readonly number[]): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < times.length; i++) {
    const step = times[i]! - times[i - 1]!;
    counts.set(step, (counts.get(step) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = -1;
  for (const [step, c] of counts) if (c > bestCount) [best, bestCount] = [step, c];
  return Math.round(best / 1000);
}
