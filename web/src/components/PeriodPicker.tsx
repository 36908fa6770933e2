/** The period and time zone of a page, held in the URL (`period`, `from`, `to`, `tz`). */
import { setParams } from "../router";
import { browserTimeZone, periodOf, PRESET_LABELS, PRESETS, type Period, type Preset } from "../period";

export interface PeriodState extends Period {
  preset: Preset;
  tz: string;
  fromDay?: string;
  toDay?: string;
}

const zones: string[] = (() => {
  try {
    return ["UTC", ...(Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf("timeZone").filter((z) => z !== "UTC")];
  } catch {
    return ["UTC"];
  }
})();

/** The URL parameters that hold a page's period and time zone. */
const PERIOD_PARAMS = ["period", "from", "to", "tz"];

/**
 * `?period=…&from=…&to=…&tz=…` of the current URL (or ""), for links to the other pages that show
 * a period: moving between pages keeps the period a user chose.
 */
export function periodQueryOf(params: URLSearchParams): string {
  const kept = new URLSearchParams([...params].filter(([k]) => PERIOD_PARAMS.includes(k)));
  const q = kept.toString();
  return q ? `?${q}` : "";
}

export function periodFromParams(params: URLSearchParams, defaultPreset: Preset = "30d"): PeriodState {
  const raw = params.get("period");
  const preset = (PRESETS as readonly string[]).includes(raw ?? "") ? (raw as Preset) : defaultPreset;
  const tz = params.get("tz") || browserTimeZone();
  const fromDay = params.get("from") ?? undefined;
  const toDay = params.get("to") ?? undefined;
  let p: Period;
  try {
    p = periodOf(preset, tz, Date.now(), fromDay, toDay);
  } catch {
    p = periodOf(preset, "UTC", Date.now(), fromDay, toDay); // an unknown zone in a shared link
  }
  return { ...p, preset, tz, fromDay, toDay };
}

export function PeriodPicker({ period }: { period: PeriodState }) {
  const lastDay = new Date(period.to.getTime() - 1);
  const day = (d: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: period.tz }).format(d);
  return (
    <fieldset class="period">
      <legend class="visually-hidden">Period</legend>
      <label>
        Period{" "}
        <select value={period.preset} onChange={(e) => setParams({ period: e.currentTarget.value })}>
          {PRESETS.map((p) => (
            <option value={p}>{PRESET_LABELS[p]}</option>
          ))}
        </select>
      </label>
      {period.preset === "custom" ? (
        <>
          <label>
            From <input type="date" value={period.fromDay ?? day(period.from)} onChange={(e) => setParams({ from: e.currentTarget.value })} />
          </label>
          <label>
            To <input type="date" value={period.toDay ?? day(lastDay)} onChange={(e) => setParams({ to: e.currentTarget.value })} />
          </label>
        </>
      ) : (
        <span class="muted">
          {day(period.from)} – {day(lastDay)}
        </span>
      )}
      <label>
        Time zone{" "}
        <input list="tz-list" value={period.tz} size={18} onChange={(e) => zones.includes(e.currentTarget.value) && setParams({ tz: e.currentTarget.value })} />
        <datalist id="tz-list">
          {zones.map((z) => (
            <option value={z} />
          ))}
        </datalist>
      </label>
    </fieldset>
  );
}
