import { describe, expect, it } from "vitest";
import { daysCovering, intervalFor, periodOf, zonedMidnight } from "../../../web/src/period";

const at = (iso: string) => Date.parse(iso);

describe("periodOf (the dashboard's period presets)", () => {
  it("ends the last N days at the end of today in the time zone", () => {
    // 02:00 UTC on 10 March is still 9 March in New York (UTC-5)
    const p = periodOf("7d", "America/New_York", at("2026-03-10T02:00:00Z"));
    expect(p.from.toISOString()).toBe("2026-03-03T05:00:00.000Z");
    expect(p.to.toISOString()).toBe("2026-03-10T04:00:00.000Z"); // DST began on 8 March: midnight is UTC-4
  });

  it("gives this month up to the end of today and the whole last month", () => {
    const now = at("2026-01-15T12:00:00Z");
    expect(periodOf("this-month", "UTC", now)).toEqual({ from: new Date("2026-01-01T00:00:00Z"), to: new Date("2026-01-16T00:00:00Z") });
    expect(periodOf("last-month", "Europe/Amsterdam", now)).toEqual({ from: new Date("2025-11-30T23:00:00Z"), to: new Date("2025-12-31T23:00:00Z") });
  });

  it("takes custom dates inclusive of the last day, and repairs a reversed range", () => {
    expect(periodOf("custom", "UTC", 0, "2026-02-01", "2026-02-28")).toEqual({ from: new Date("2026-02-01T00:00:00Z"), to: new Date("2026-03-01T00:00:00Z") });
    expect(periodOf("custom", "UTC", 0, "2026-02-10", "2026-02-01")).toEqual({ from: new Date("2026-02-10T00:00:00Z"), to: new Date("2026-02-11T00:00:00Z") });
  });

  it("finds midnight across a DST change", () => {
    expect(zonedMidnight(2026, 9, 25, "Europe/London").toISOString()).toBe("2026-10-24T23:00:00.000Z");
    expect(zonedMidnight(2026, 9, 26, "Europe/London").toISOString()).toBe("2026-10-26T00:00:00.000Z");
  });

  it("picks an interval that keeps a chart within the API's point limit", () => {
    const days = (n: number) => ({ from: new Date(0), to: new Date(n * 86_400_000) });
    expect([1, 30, 365, 3_000].map((n) => intervalFor(days(n)))).toEqual(["hour", "day", "week", "month"]);
  });
});

describe("daysCovering (the period that shows a workspace's data whole)", () => {
  it("takes the calendar days of the first and last instants in the time zone", () => {
    const first = "2015-02-16T23:59:00Z";
    const last = "2015-02-24T10:30:00Z";
    expect(daysCovering(first, last, "UTC")).toEqual({ from: "2015-02-16", to: "2015-02-24" });
    // 16 Feb 18:59 in New York; 25 Feb 00:30 on Kiritimati (UTC+14)
    expect(daysCovering(first, last, "America/New_York")).toEqual({ from: "2015-02-16", to: "2015-02-24" });
    expect(daysCovering(first, last, "Pacific/Kiritimati")).toEqual({ from: "2015-02-17", to: "2015-02-25" });
  });

  it("gives custom dates whose period holds both instants", () => {
    for (const tz of ["UTC", "America/New_York", "Pacific/Kiritimati", "Asia/Kolkata"]) {
      const days = daysCovering("2015-02-16T23:59:00Z", "2015-02-24T10:30:00Z", tz);
      const p = periodOf("custom", tz, at("2026-12-01T00:00:00Z"), days.from, days.to);
      expect(p.from.getTime()).toBeLessThanOrEqual(at("2015-02-16T23:59:00Z"));
      expect(p.to.getTime()).toBeGreaterThan(at("2015-02-24T10:30:00Z"));
    }
  });
});
