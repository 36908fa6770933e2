/**
 * npm run tune:alerts [-- --seeds N] [--variants '<json>']
 *
 * How the spike detector's default settings were chosen: NAB's standard score of the detector on
 * generated series only (bench/support/alert-series.ts: "calm", "bursty" and "heavy" profiles,
 * N seeds each, default 60), never on the evaluation data. `--variants` takes a JSON object of
 * named setting overrides, e.g. '{"z4":{"zOpen":4},"z6":{"zOpen":6}}'; "default" is always run.
 */
import { generateSeries, type GeneratedSeries } from "../bench/support/alert-series";
import { nabFileScore, nabNormalizedScore, type NabFileScore } from "../shared/domain/alerts/nab-score";
import { alertRowsOf } from "../shared/domain/alerts/replay";
import { DEFAULT_SPIKE_SETTINGS, type SpikeSettings } from "../shared/domain/alerts/spike-detector";

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
if (process.argv.includes("--help")) {
  console.log("npm run tune:alerts [-- --seeds N] [--variants '{\"name\":{...settings}}']");
  process.exit(0);
}
const seeds = Number(arg("--seeds") ?? 60);
const variants: Record<string, Partial<SpikeSettings>> = { default: {}, ...JSON.parse(arg("--variants") ?? "{}") };
const profiles = ["calm", "bursty", "heavy"] as const;
const series: { profile: string; s: GeneratedSeries }[] = profiles.flatMap((profile, k) =>
  Array.from({ length: seeds }, (_, i) => ({ profile, s: generateSeries({ seed: 1000 * (k + 1) + i, profile }) })),
);

console.log(`NAB standard score on ${series.length} generated series (${seeds} per profile)\n`);
for (const [name, overrides] of Object.entries(variants)) {
  const by = new Map<string, NabFileScore[]>(profiles.map((p) => [p, []]));
  for (const { profile, s } of series) {
    by.get(profile)!.push(nabFileScore(alertRowsOf(s.timestamps, s.counts, { ...DEFAULT_SPIKE_SETTINGS, ...overrides }), s.windows));
  }
  const all = [...by.values()].flat();
  const sum = (fs: NabFileScore[], k: "detected" | "windows" | "falseAlerts") => fs.reduce((a, f) => a + f[k], 0);
  console.log(
    `${name.padEnd(16)} all ${nabNormalizedScore(all).toFixed(1)}` +
      profiles.map((p) => {
        const fs = by.get(p)!;
        return ` | ${p} ${nabNormalizedScore(fs).toFixed(1)} (detected ${sum(fs, "detected")}/${sum(fs, "windows")}, false ${sum(fs, "falseAlerts")})`;
      }).join(""),
  );
}
