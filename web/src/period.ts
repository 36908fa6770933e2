/**
 * Periods in the workspace's time zone: presets (last 7/30/90 days, this and last month) and
 * custom dates, turned into the UTC instants the API takes. Pure.
 */

export const PRESETS = ["7d", "30d", "90d", "this-month", "last-month", "custom"] as const;
export type Preset = (typeof PRESETS)[number];
export const PRESET_LABELS: Record<Preset, string> = {
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  "90d": "Last 90 days",
  "this-month": "This month",
  "last-month": "Last month",
  custom: "Custom dates",
};

/** Milliseconds to add to UTC to get the wall clock of `tz` at instant `ms`. */
export function zoneOffsetMs(ms: number, tz: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return wall - Math.floor(ms / 1000) * 1000;
}

/** The instant of midnight starting the calendar day y-m-d (month 0-based, may overflow) in `tz`. */
export function zonedMidnight(y: number, m: number, d: number, tz: string): Date {
  const guess = Date.UTC(y, m, d);
  let ms = guess - zoneOffsetMs(guess, tz);
  // across a DST change the offset at the result can differ from the guess's: settle it
  ms = guess - zoneOffsetMs(ms, tz);
  return new Date(ms);
}

/** The calendar date (y, m 0-based, d) of instant `ms` in `tz`. */
export function zonedDate(ms: number, tz: string): { y: number; m: number; d: number } {
  const wall = new Date(ms + zoneOffsetMs(ms, tz));
  return { y: wall.getUTCFullYear(), m: wall.getUTCMonth(), d: wall.getUTCDate() };
}

/** `YYYY-MM-DD` of a calendar date. */
export const isoDay = (y: number, m: number, d: number): string => new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);

export interface Period {
  from: Date;
  to: Date;
}

/**
 * The period of a preset at instant `nowMs` in `tz`; "last N days" ends at the end of today, so
 * today's partial day is included and whole days are compared. Custom: `fromDay` inclusive to
 * `toDay` inclusive (YYYY-MM-DD).
 */
export function periodOf(preset: Preset, tz: string, nowMs: number, fromDay?: string, toDay?: string): Period {
  const { y, m, d } = zonedDate(nowMs, tz);
  const tomorrow = zonedMidnight(y, m, d + 1, tz);
  switch (preset) {
    case "7d":
    case "30d":
    case "90d": {
      const days = Number(preset.slice(0, -1));
      return { from: zonedMidnight(y, m, d + 1 - days, tz), to: tomorrow };
    }
    case "this-month":
      return { from: zonedMidnight(y, m, 1, tz), to: tomorrow };
    case "last-month":
      return { from: zonedMidnight(y, m - 1, 1, tz), to: zonedMidnight(y, m, 1, tz) };
    case "custom": {
      const parse = (s: string | undefined, fallback: Date): { y: number; m: number; d: number } => {
        const match = s ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) : null;
        return match ? { y: Number(match[1]), m: Number(match[2]) - 1, d: Number(match[3]) } : zonedDate(fallback.getTime(), tz);
      };
      const a = parse(fromDay, new Date(nowMs - 29 * 86_400_000));
      const b = parse(toDay, new Date(nowMs));
      const from = zonedMidnight(a.y, a.m, a.d, tz);
      const to = zonedMidnight(b.y, b.m, b.d + 1, tz);
      return to > from ? { from, to } : { from, to: zonedMidnight(a.y, a.m, a.d + 1, tz) };
    }
  }
}

/**
 * The custom dates (YYYY-MM-DD, both inclusive) of the calendar days in `tz` that hold the instants
 * `firstIso` and `lastIso`: the period that shows a span of data whole.
 */
export function daysCovering(firstIso: string, lastIso: string, tz: string): { from: string; to: string } {
  const a = zonedDate(Date.parse(firstIso), tz);
  const b = zonedDate(Date.parse(lastIso), tz);
  return { from: isoDay(a.y, a.m, a.d), to: isoDay(b.y, b.m, b.d) };
}

/** The interval that keeps a chart of the period readable (and within the API's point limit). */
export function intervalFor(p: Period): "hour" | "day" | "week" | "month" {
  const days = (p.to.getTime() - p.from.getTime()) / 86_400_000;
  return days <= 3 ? "hour" : days <= 120 ? "day" : days <= 730 ? "week" : "month";
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}
