import { describe, expect, it } from "vitest";
import { firstInstantAtWall, isValidTimeZone, localFieldsOf, offsetMsAt } from "../../../shared/domain/time/zones";

describe("isValidTimeZone", () => {
  it.each([
    ["Europe/Amsterdam", true],
    ["UTC", true],
    ["America/Argentina/Buenos_Aires", true],
    ["Asia/Kolkata", true],
    ["Mars/Olympus", false],
    ["", false],
    ["+02:00", false],
    ["Europe/Amsterdam; drop", false],
  ])("%j → %s", (tz, ok) => {
    expect(isValidTimeZone(tz)).toBe(ok);
  });
});

describe("offsetMsAt", () => {
  const H = 3_600_000;
  it.each([
    ["2026-03-29T00:59:59Z", "Europe/Amsterdam", 1 * H],
    ["2026-03-29T01:00:00Z", "Europe/Amsterdam", 2 * H],
    ["2026-10-25T00:59:59Z", "Europe/Amsterdam", 2 * H],
    ["2026-10-25T01:00:00Z", "Europe/Amsterdam", 1 * H],
    ["2026-01-01T00:00:00Z", "Asia/Kolkata", 5.5 * H],
    ["2026-01-01T00:00:00Z", "America/New_York", -5 * H],
    ["2026-01-01T00:00:00Z", "UTC", 0],
  ])("%s in %s is %d ms", (instant, tz, off) => {
    expect(offsetMsAt(new Date(instant), tz)).toBe(off);
  });
});

describe("localFieldsOf", () => {
  it("gives wall-clock fields and the ISO weekday", () => {
    expect(localFieldsOf(new Date("2026-03-29T01:30:00Z"), "Europe/Amsterdam")).toEqual({
      year: 2026, month: 3, day: 29, hour: 3, minute: 30, second: 0, weekday: 7,
    });
  });
});

describe("firstInstantAtWall", () => {
  it.each([
    // a wall time inside the spring gap maps to the transition
    [Date.UTC(2026, 2, 29, 2, 30), "Europe/Amsterdam", "2026-03-29T01:00:00.000Z"],
    // a wall time in the autumn overlap maps to its first occurrence (still CEST)
    [Date.UTC(2026, 9, 25, 2, 30), "Europe/Amsterdam", "2026-10-25T00:30:00.000Z"],
    [Date.UTC(2026, 5, 1), "Europe/Amsterdam", "2026-05-31T22:00:00.000Z"],
  ])("%d in %s → %s", (wall, tz, expected) => {
    expect(new Date(firstInstantAtWall(wall, tz)).toISOString()).toBe(expected);
  });
});
