/** How values, changes and times read on screen, by the metric's unit. Pure. */

const nf0 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const nf2 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** A duration in seconds as "3h 20m", "45m", "2d 4h". */
export function formatDuration(sec: number): string {
  const s = Math.round(Math.abs(sec));
  const sign = sec < 0 ? "−" : "";
  if (s < 60) return `${sign}${s}s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${sign}${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${sign}${h}h${m % 60 ? ` ${m % 60}m` : ""}`;
  const d = Math.floor(h / 24);
  return `${sign}${d}d${h % 24 ? ` ${h % 24}h` : ""}`;
}

export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  switch (unit) {
    case "count":
      return nf0.format(value);
    case "percent":
      return `${nf1.format(value)}%`;
    case "seconds":
      return formatDuration(value);
    case "nps":
      return nf1.format(value);
    default:
      return nf2.format(value);
  }
}

/** The change against the previous period: "+12%" for counts, "+3.1 pts" for percentages and NPS, durations as such. */
export function formatDelta(delta: number | null, previous: number | null, unit: string): string {
  if (delta === null) return "no earlier data";
  const sign = delta > 0 ? "+" : delta < 0 ? "−" : "±";
  const abs = Math.abs(delta);
  switch (unit) {
    case "count":
      return previous ? `${sign}${nf0.format((abs / previous) * 100)}%` : `${sign}${nf0.format(abs)}`;
    case "percent":
    case "nps":
      return `${sign}${nf1.format(abs)} pts`;
    case "seconds":
      return `${sign}${formatDuration(abs)}`;
    default:
      return `${sign}${nf2.format(abs)}`;
  }
}

export const formatCount = (n: number): string => nf0.format(n);

export function formatDateTime(iso: string, tz: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone: tz, dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

/** A bucket's start as the axis shows it, by interval. */
export function formatBucket(iso: string, interval: string, tz: string): string {
  const d = new Date(iso);
  const opts: Intl.DateTimeFormatOptions =
    interval === "hour" ? { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }
    : interval === "month" ? { year: "numeric", month: "short" }
    : { year: "numeric", month: "short", day: "numeric" };
  return new Intl.DateTimeFormat("en-GB", { timeZone: tz, ...opts }).format(d);
}
