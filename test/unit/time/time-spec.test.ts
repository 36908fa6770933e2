import { describe, expect, it } from "vitest";
import { instantOfTimeSpec, isTimeSpec } from "../../../shared/domain/time/time-spec";

const NOW = Date.parse("2026-03-10T15:45:30.250Z");
const at = (spec: string, tz = "UTC") => instantOfTimeSpec(spec, NOW, tz)?.toISOString() ?? null;

describe("instantOfTimeSpec", () => {
  it.each([
    // dates: local midnight in the zone
    ["2026-03-01", "UTC", "2026-03-01T00:00:00.000Z"],
    ["2026-03-01", "Europe/Amsterdam", "2026-02-28T23:00:00.000Z"],
    ["2026-07-01", "Europe/Amsterdam", "2026-06-30T22:00:00.000Z"],
    ["2026-03-01", "America/New_York", "2026-03-01T05:00:00.000Z"],
    ["2026-03-01", "Asia/Kolkata", "2026-02-28T18:30:00.000Z"],
    ["2024-02-29", "UTC", "2024-02-29T00:00:00.000Z"],
    // local times in the zone
    ["2026-03-01T09:30", "Europe/Amsterdam", "2026-03-01T08:30:00.000Z"],
    ["2026-03-01T09:30:15.5", "UTC", "2026-03-01T09:30:15.500Z"],
    // instants: the zone does not matter
    ["2026-03-01T09:30:00Z", "Europe/Amsterdam", "2026-03-01T09:30:00.000Z"],
    ["2026-03-01T09:30:00+02:00", "UTC", "2026-03-01T07:30:00.000Z"],
    ["2026-03-01T09:30:00.123456Z", "UTC", "2026-03-01T09:30:00.123Z"],
    ["2026-03-01T09:30Z", "UTC", "2026-03-01T09:30:00.000Z"],
    // relative to now: fixed durations
    ["now", "Europe/Amsterdam", "2026-03-10T15:45:30.250Z"],
    ["-7d", "UTC", "2026-03-03T15:45:30.250Z"],
    ["now-7d", "UTC", "2026-03-03T15:45:30.250Z"],
    ["-12h", "UTC", "2026-03-10T03:45:30.250Z"],
    ["-30m", "UTC", "2026-03-10T15:15:30.250Z"],
    ["-2w", "UTC", "2026-02-24T15:45:30.250Z"],
    ["+1d", "UTC", "2026-03-11T15:45:30.250Z"],
    [" 2026-03-01 ", "UTC", "2026-03-01T00:00:00.000Z"],
  ])("%j in %s is %s", (spec, tz, iso) => {
    expect(at(spec, tz)).toBe(iso);
  });

  describe("around DST changes", () => {
    it("a date is local midnight on both sides of Amsterdam's spring change (the day itself lasts 23 hours)", () => {
      const day = instantOfTimeSpec("2026-03-29", NOW, "Europe/Amsterdam")!;
      const next = instantOfTimeSpec("2026-03-30", NOW, "Europe/Amsterdam")!;
      expect(day.toISOString()).toBe("2026-03-28T23:00:00.000Z");
      expect(next.toISOString()).toBe("2026-03-29T22:00:00.000Z");
      expect(next.getTime() - day.getTime()).toBe(23 * 3_600_000);
    });

    it("a day of 25 hours in New York's autumn", () => {
      const day = instantOfTimeSpec("2026-11-01", NOW, "America/New_York")!;
      const next = instantOfTimeSpec("2026-11-02", NOW, "America/New_York")!;
      expect(next.getTime() - day.getTime()).toBe(25 * 3_600_000);
    });

    it("a midnight skipped by the change (Santiago's spring) is the transition, the day's first instant", () => {
      // 2026-09-06 00:00 does not exist in America/Santiago: clocks go from 23:59:59 -04 to 01:00 -03
      expect(at("2026-09-06", "America/Santiago")).toBe("2026-09-06T04:00:00.000Z");
    });

    it("a local time skipped by a gap is the transition; one that occurs twice is the earlier", () => {
      expect(at("2026-03-29T02:30", "Europe/Amsterdam")).toBe("2026-03-29T01:00:00.000Z");
      expect(at("2026-10-25T02:30", "Europe/Amsterdam")).toBe("2026-10-25T00:30:00.000Z");
    });

    it("-1d is 24 hours even across a change, not the same wall time", () => {
      const afterChange = Date.parse("2026-03-29T12:00:00Z");
      expect(instantOfTimeSpec("-1d", afterChange, "Europe/Amsterdam")!.toISOString()).toBe("2026-03-28T12:00:00.000Z");
    });
  });

  it.each([
    "",
    "yesterday",
    "2026-02-30",
    "2026-13-01",
    "2026-3-1",
    "2026-03-01T24:00",
    "2026-03-01T09:60:00Z",
    "2026-03-01T09:30:00+25:00",
    "-7",
    "7d",
    "-7y",
    "-99999999d",
    "now-",
    "1741612800",
  ])("refuses %j", (spec) => {
    expect(instantOfTimeSpec(spec, NOW, "UTC")).toBeNull();
    expect(isTimeSpec(spec)).toBe(false);
  });
});
