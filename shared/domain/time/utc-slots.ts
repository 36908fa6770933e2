/**
 * The slot grid of rollup documents: one document per UTC day ("YYYY-MM-DD"), one slot per UTC
 * hour (0-23). Slots are UTC so that a rollup never depends on a reader's time zone.
 */
import { TIME_MS } from "./zones";

export interface UtcSlot {
  /** UTC calendar day, "YYYY-MM-DD" (years 0000-9999) */
  day: string;
  /** UTC hour, 0-23 */
  hour: number;
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The UTC day and hour an instant falls in. Throws RangeError for an invalid Date. */
export function utcDayAndHour(instant: Date): UtcSlot {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError("invalid date");
  const iso = instant.toISOString();
  return { day: iso.slice(0, 10), hour: instant.getUTCHours() };
}

/**
 * Inverse of `utcDayAndHour`: the first instant of UTC hour `hour` on `day`.
 * Throws RangeError for a malformed day or an hour outside 0-23.
 */
export function utcSlotInstant(day: string, hour: number): Date {
  return new Date(utcSlotMs(day, hour));
}

/** `utcSlotInstant` as epoch milliseconds (no allocation; used in hot loops). */
export function utcSlotMs(day: string, hour: number): number {
  const m = DAY_RE.exec(day);
  if (!m || !Number.isInteger(hour) || hour < 0 || hour > 23) {
    throw new RangeError(`bad UTC slot ${JSON.stringify(day)} hour ${hour}`);
  }
  const dayMs = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return dayMs + hour * TIME_MS.HOUR_MS;
}

/** UTC days ("YYYY-MM-DD") whose slots can fall in `[from, to)`, first and last inclusive. */
export function utcDaysCovering(from: Date, to: Date): { first: string; last: string } {
  return { first: utcDayAndHour(from).day, last: utcDayAndHour(new Date(Math.max(from.getTime(), to.getTime() - 1))).day };
}
