/**
 * npm run eval:alerts [-- <dir>] [--json] [--out <dir>]
 *
 * Runs the spike detector Undercurrent uses in production (shared/domain/alerts, the default
 * settings — one setting for every file, no per-file tuning) over each labelled series of a
 * directory in NAB's layout (scripts/support/alert-data.ts), bucket by bucket as the workers feed
 * it, and scores its alerts (the rows where an episode opens) with NAB's standard profile
 * (docs/alerts.md). Prints, per file and in total, our score next to the detectors whose
 * published raw scores the directory holds.
 *
 * `<dir>` defaults to ../shared/data/alerts (beside the project; not part of the repository).
 * `--json` prints one line per set (a file or "total") and detector:
 *   {"set","detector","score","windows","detected","falseAlerts"}
 * (`detected` / `falseAlerts` are null for published detectors: NAB publishes only their scores).
 * `--out <dir>` writes, per series, `<file>` with the input's rows and the columns
 * `timestamp,alert` (alert 0 or 1), so that anyone can score the alerts independently.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { nabFileScore, nabNormalizedScore, type NabFileScore } from "../shared/domain/alerts/nab-score";
import { alertRowsOf } from "../shared/domain/alerts/replay";
import { DEFAULT_SPIKE_SETTINGS } from "../shared/domain/alerts/spike-detector";
import { bucketSecOf, loadAlertDataArg } from "./support/alert-data";

const HELP = `npm run eval:alerts [-- <dir>] [--json] [--out <dir>]

Scores Undercurrent's spike detector on labelled count series with NAB's standard profile,
next to published detectors.

  <dir>        series CSVs (timestamp,value) plus windows.json, optionally
               nab-published-raw-scores.csv; default ../shared/data/alerts
  --json       one JSON line per file and detector
  --out <dir>  write <file> per series with columns timestamp,alert
  --help       this text
`;

const OURS = "undercurrent";

function main(argv: string[]): number {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(HELP);
    return 0;
  }
  const json = argv.includes("--json");
  let outDir: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--json") continue;
    if (a === "--out") {
      outDir = argv[++i];
      if (!outDir) return usage("--out needs a directory");
    } else if (a.startsWith("--out=")) outDir = a.slice(6);
    else if (a.startsWith("-")) return usage(`unknown option ${a}`);
    else positional.push(a);
  }
  if (positional.length > 1) return usage("at most one data directory");
  const data = loadAlertDataArg(positional, "eval:alerts");
  if (!data) return 2;

  type Row = { set: string; detector: string; score: number; windows: number; detected: number | null; falseAlerts: number | null };
  const rows: Row[] = [];
  const ours: NabFileScore[] = [];
  for (const s of data.series) {
    const bucketSec = bucketSecOf(s.times);
    const settings = { ...DEFAULT_SPIKE_SETTINGS, bucketSec };
    const alerts = alertRowsOf(s.times, s.values, settings);
    const f = nabFileScore(alerts, s.windows);
    ours.push(f);
    rows.push({ set: s.file, detector: OURS, score: nabNormalizedScore([f]), windows: f.windows, detected: f.detected, falseAlerts: f.falseAlerts });
    if (outDir) {
      mkdirSync(outDir, { recursive: true });
      const lines = ["timestamp,alert", ...s.timestamps.map((t, i) => `${t},${alerts[i]}`)];
      writeFileSync(join(outDir, s.file), lines.join("\n") + "\n");
    }
  }
  rows.push({
    set: "total", detector: OURS, score: nabNormalizedScore(ours),
    windows: sum(ours.map((f) => f.windows)), detected: sum(ours.map((f) => f.detected)), falseAlerts: sum(ours.map((f) => f.falseAlerts)),
  });

  // Published detectors: their raw scores with the same null/perfect per file as ours.
  const detectors = [...new Set(data.published.map((p) => p.detector))];
  const incomplete: string[] = [];
  for (const det of detectors) {
    const files: Pick<NabFileScore, "raw" | "nullScore" | "perfect">[] = [];
    for (let k = 0; k < data.series.length; k++) {
      const s = data.series[k]!;
      const p = data.published.find((x) => x.detector === det && x.file === s.file);
      if (!p) continue;
      const f = { raw: p.raw, nullScore: ours[k]!.nullScore, perfect: ours[k]!.perfect };
      files.push(f);
      rows.push({ set: s.file, detector: det, score: nabNormalizedScore([f]), windows: ours[k]!.windows, detected: null, falseAlerts: null });
    }
    if (files.length === data.series.length) {
      rows.push({ set: "total", detector: det, score: nabNormalizedScore(files), windows: sum(ours.map((f) => f.windows)), detected: null, falseAlerts: null });
    } else incomplete.push(det);
  }

  if (json) {
    for (const r of rows) console.log(JSON.stringify({ ...r, score: round1(r.score) }));
    return 0;
  }
  const s = DEFAULT_SPIKE_SETTINGS;
  console.log(`NAB standard profile, ${data.series.length} series from ${data.dir}`);
  console.log(
    `detector: ${OURS} (zOpen ${s.zOpen}, zClose ${s.zClose}, minCount ${s.minCount}, windows ${s.windowsSec.map((w) => w / 60).join("/")} min, ` +
      `tail gate ${s.tailReturnDays > 0 ? `${s.tailReturnDays} days${s.tailRecentHalfLifeDays > 0 ? ` (recent rate ${s.tailRecentHalfLifeDays} days)` : ""}` : "off"}; same settings for every file)\n`,
  );
  const pad = (x: string, n: number) => x.padEnd(n);
  const lpad = (x: string, n: number) => x.padStart(n);
  console.log(pad("file", 28) + lpad("windows", 8) + lpad("detected", 10) + lpad("false", 7) + lpad("raw", 8) + lpad("score", 8));
  data.series.forEach((ser, k) => {
    const f = ours[k]!;
    console.log(
      pad(ser.file, 28) + lpad(String(f.windows), 8) + lpad(String(f.detected), 10) + lpad(String(f.falseAlerts), 7) +
        lpad(f.raw.toFixed(2), 8) + lpad(nabNormalizedScore([f]).toFixed(1), 8),
    );
  });
  const total = rows.find((r) => r.set === "total" && r.detector === OURS)!;
  console.log(
    pad("total", 28) + lpad(String(total.windows), 8) + lpad(String(total.detected), 10) + lpad(String(total.falseAlerts), 7) +
      lpad(sum(ours.map((f) => f.raw)).toFixed(2), 8) + lpad(total.score.toFixed(1), 8),
  );
  if (data.unlabelled.length > 0) console.log(`\nnot scored (not in windows.json): ${data.unlabelled.join(", ")}`);

  if (detectors.length > 0) {
    const names = [OURS, ...detectors];
    const scoreOf = (det: string, set: string) => rows.find((r) => r.detector === det && r.set === set)?.score;
    const ranked = names
      .filter((n) => scoreOf(n, "total") !== undefined)
      .sort((a, b) => scoreOf(b, "total")! - scoreOf(a, "total")!);
    console.log(`\nNAB score per file and in total, ours beside the published detectors (best first):\n`);
    const short = data.series.map((x) => x.file.replace(/^Twitter_volume_/, "").replace(/\.csv$/, ""));
    console.log(pad("detector", 20) + short.map((x) => lpad(x, 8)).join("") + lpad("total", 8));
    for (const n of ranked) {
      const cells = data.series.map((x) => scoreOf(n, x.file));
      console.log(
        pad(n === OURS ? `${n} *` : n, 20) + cells.map((c) => lpad(c === undefined ? "-" : c.toFixed(1), 8)).join("") +
          lpad(scoreOf(n, "total")!.toFixed(1), 8),
      );
    }
    if (incomplete.length > 0) console.log(`\n(no total for ${incomplete.join(", ")}: some files have no published score)`);
  } else {
    console.log(`\n(no nab-published-raw-scores.csv in ${data.dir}: nothing to compare with)`);
  }
  if (outDir) console.log(`\nalerts written to ${resolve(outDir)} (timestamp,alert per series)`);
  return 0;
}

function usage(msg: string): number {
  process.stderr.write(`eval:alerts: ${msg}\n\n${HELP}`);
  return 2;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const round1 = (x: number) => Math.round(x * 10) / 10;

process.exitCode = main(process.argv.slice(2));
