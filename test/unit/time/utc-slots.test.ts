import { describe, expect, it } from "vitest";
import { utcDayAndHour, utcDaysCovering, utcSlotInstant } from "../../../shared/domain/time/utc-slots";

describe("utcDayAndHour and utcSlotInstant", () => {
  it.each([
    ["2026-03-29T00:00:00.000Z", "2026-03-29", 0],
    ["2026-03-29T23:59:59.999Z", "2026-03-29", 23],
    ["2024-02-29T12:30:00.000Z", "2024-02-29", 12],
    ["1999-12-31T23:00:00.000Z", "1999-12-31", 23],
  ])("%s is day %s hour %d", (instant, day, hour) => {
    expect(utcDayAndHour(new Date(instant))).toEqual({ day, hour });
    const start = new Date(instant);
    start.setUTCMinutes(0, 0, 0);
    expect(utcSlotInstant(day, hour).toISOString()).toBe(start.toISOString());
  });

  it.each([["2026-3-29", 0], ["2026-03-29", 24], ["2026-03-29", -1], ["2026-03-29", 1.5], ["yesterday", 3]])(
    "rejects slot %j hour %d",
    (day, hour) => {
      expect(() => utcSlotInstant(day, hour)).toThrow(RangeError);
    },
  );

  it("rejects an invalid date", () => {
    expect(() => utcDayAndHour(new Date("nope"))).toThrow(RangeError);
  });

  it("lists the UTC days covering a half-open range", () => {
    expect(utcDaysCovering(new Date("2026-03-28T23:00:00Z"), new Date("2026-03-30T00:00:00Z"))).toEqual({
      first: "2026-03-28",
      last: "2026-03-29",
    });
  });
});
