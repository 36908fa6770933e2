/**
 * npm run cv:alerts [-- <dir>] [--json] [--grid '<json>']
 *
 * The honest figure for settings chosen on labelled data: leave-one-file-out cross-validation
 * (scripts/support/cross-validate.ts). Every variant of a small grid of settings (the product of
 * the values per setting, the defaults first) is run over every series of the directory, as
 * `npm run eval:alerts` runs the default; then, for each file, the variant with the best NAB score
 * on the other files is chosen and the held-out file is scored with it. Prints each fold's choice,
 * the held-out scores and their total (the cross-validated NAB score), next to the default's.
 *
 * `--grid` replaces the grid, e.g. '{"zOpen":[5,6],"tailReturnDays":[0,14]}'.
 * `--json` prints one line per held-out file and the total:
 *   {"set","detector":"undercurrent-cv","score","windows","detected","falseAlerts","chosen"}
 */
import { nabFileScore, nabNormalizedScore, type NabFileScore } from "../shared/domain/alerts/nab-score";
import { alertRowsOf } from "../shared/domain/alerts/replay";
import { DEFAULT_SPIKE_SETTINGS, type SpikeSettings } from "../shared/domain/alerts/spike-detector";
import { bucketSecOf, loadAlertDataArg } from "./support/alert-data";
import { leaveOneFileOut } from "./support/cross-validate";

/**
 * The grid, fixed before any cross-validated run: alert strictness, tail gate, episode length,
 * firing guard, windows. The default's value of each setting is put first (see `product`).
 */
const HOUR = 3_600;
const DEFAULT_GRID: Partial<Record<keyof SpikeSettings, unknown[]>> = {
  zOpen: [4, 5, 6, 7],
  tailReturnDays: [0, 7, 14, 30],
  resolveAfterSec: [3 * HOUR, 12 * HOUR],
  minCount: [10, 30],
  windowsSec: [[300, 900, HOUR, 3 * HOUR], [900, HOUR, 3 * HOUR]],
};

const HELP = `npm run cv:alerts [-- <dir>] [--json] [--grid '<json>']

Leave-one-file-out cross-validation of the spike detector's settings over labelled series
(NAB's layout, as npm run eval:alerts): settings chosen on all files but one, scored on that one.

  <dir>          default ../shared/data/alerts
  --json         one JSON line per held-out file and the total
  --grid <json>  {"<setting>": [values...], ...}; default ${JSON.stringify(DEFAULT_GRID)}
`;

function main(argv: string[]): number {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(HELP);
    return 0;
  }
  const json = argv.includes("--json");
  let grid = DEFAULT_GRID;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--json") continue;
    if (a === "--grid") {
      try {
        grid = JSON.parse(argv[++i] ?? "");
      } catch {
        return usage("--grid needs a JSON object of setting: [values]");
      }
      if (typeof grid !== "object" || grid === null || !Object.values(grid).every((v) => Array.isArray(v) && v.length > 0)) {
        return usage("--grid needs a JSON object of setting: [values]");
      }
    } else if (a.startsWith("-")) return usage(`unknown option ${a}`);
    else positional.push(a);
  }
  if (positional.length > 1) return usage("at most one data directory");
  const data = loadAlertDataArg(positional, "cv:alerts");
  if (!data) return 2;
  if (data.series.length < 2) return usage("cross-validation needs at least two labelled series");

  const variants = product(grid);
  const scores: NabFileScore[][] = variants.map((v) =>
    data.series.map((s) => nabFileScore(alertRowsOf(s.times, s.values, { ...DEFAULT_SPIKE_SETTINGS, ...v, bucketSec: bucketSecOf(s.times) }), s.windows)),
  );
  const folds = leaveOneFileOut(scores);
  const heldOut = folds.map((f) => f.heldOut);
  const total = nabNormalizedScore(heldOut);
  const describe = (v: number) => describeVariant(variants[v]!);

  if (json) {
    const row = (set: string, fs: NabFileScore[], chosen: string | null) => ({
      set, detector: "undercurrent-cv", score: round1(nabNormalizedScore(fs)), windows: sum(fs.map((f) => f.windows)),
      detected: sum(fs.map((f) => f.detected)), falseAlerts: sum(fs.map((f) => f.falseAlerts)), chosen,
    });
    for (const f of folds) console.log(JSON.stringify(row(data.series[f.file]!.file, [f.heldOut], describe(f.chosen))));
    console.log(JSON.stringify(row("total", heldOut, null)));
    return 0;
  }
  console.log(`Leave-one-file-out cross-validation, NAB standard profile, ${data.series.length} series from ${data.dir}`);
  console.log(`grid: ${variants.length} variants (${Object.entries(grid).map(([k, v]) => `${k} ${v.map((x) => JSON.stringify(x)).join("/")}`).join("; ")})\n`);
  const pad = (x: string, n: number) => x.padEnd(n);
  const lpad = (x: string, n: number) => x.padStart(n);
  console.log(pad("held-out file", 28) + lpad("windows", 8) + lpad("detected", 10) + lpad("false", 7) + lpad("score", 8) + lpad("train", 8) + "  chosen on the other files");
  for (const f of folds) {
    const h = f.heldOut;
    console.log(
      pad(data.series[f.file]!.file, 28) + lpad(String(h.windows), 8) + lpad(String(h.detected), 10) + lpad(String(h.falseAlerts), 7) +
        lpad(nabNormalizedScore([h]).toFixed(1), 8) + lpad(f.trainScore.toFixed(1), 8) + "  " + describe(f.chosen),
    );
  }
  console.log(
    pad("cross-validated total", 28) + lpad(String(sum(heldOut.map((f) => f.windows))), 8) + lpad(String(sum(heldOut.map((f) => f.detected))), 10) +
      lpad(String(sum(heldOut.map((f) => f.falseAlerts))), 7) + lpad(total.toFixed(1), 8),
  );
  console.log(`\nfirst variant (the defaults where the grid holds them) on every file, no choice made: ${nabNormalizedScore(scores[0]!).toFixed(1)} (${describe(0)})`);
  const best = scores.map((row) => nabNormalizedScore(row)).reduce((b, s, v, all) => (s > all[b]! ? v : b), 0);
  console.log(`best single variant on all files (in-sample, optimistic): ${nabNormalizedScore(scores[best]!).toFixed(1)} (${describe(best)})`);
  return 0;
}

/** Every combination of the grid's values; the default's value of each setting first, so variant 0 is the default when the grid holds it. */
function product(grid: Partial<Record<keyof SpikeSettings, unknown[]>>): Partial<SpikeSettings>[] {
  let out: Record<string, unknown>[] = [{}];
  for (const [k, values] of Object.entries(grid)) {
    const def = JSON.stringify(DEFAULT_SPIKE_SETTINGS[k as keyof SpikeSettings]);
    const ordered = [...values!.filter((x) => JSON.stringify(x) === def), ...values!.filter((x) => JSON.stringify(x) !== def)];
    out = out.flatMap((v) => ordered.map((x) => ({ ...v, [k]: x })));
  }
  return out as Partial<SpikeSettings>[];
}

function describeVariant(v: Partial<SpikeSettings>): string {
  return Object.entries(v)
    .map(([k, x]) => `${k} ${Array.isArray(x) ? x.map((s) => s / 60).join("/") + " min" : k.endsWith("Sec") ? `${(x as number) / 3600} h` : x}`)
    .join(", ");
}

function usage(msg: string): number {
  process.stderr.write(`cv:alerts: ${msg}\n\n${HELP}`);
  return 2;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const round1 = (x: number) => Math.round(x * 10) / 10;

process.exitCode = main(process.argv.slice(2));
