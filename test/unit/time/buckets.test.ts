import { describe, expect, it } from "vitest";
import { bucketStart, bucketsBetween, nextBucketStart, type Interval } from "../../../shared/domain/time/buckets";

const iso = (d: Date) => d.toISOString();
const at = (s: string) => new Date(s);
const AMS = "Europe/Amsterdam";

describe("bucketStart", () => {
  it.each<[string, Interval, string, string]>([
    // instant, interval, zone, expected start (UTC)
    ["2026-03-29T12:00:00Z", "day", AMS, "2026-03-28T23:00:00.000Z"], // spring-forward day starts at CET midnight
    ["2026-03-29T23:30:00Z", "day", AMS, "2026-03-29T22:00:00.000Z"], // next day starts at CEST midnight
    ["2026-10-25T12:00:00Z", "day", AMS, "2026-10-24T22:00:00.000Z"], // fall-back day starts at CEST midnight
    ["2026-10-25T22:59:59Z", "day", AMS, "2026-10-24T22:00:00.000Z"], // ...and lasts 25 hours
    ["2026-10-25T23:00:00Z", "day", AMS, "2026-10-25T23:00:00.000Z"],
    ["2026-06-15T21:59:59.999Z", "day", AMS, "2026-06-14T22:00:00.000Z"],
    ["2026-06-15T22:00:00Z", "day", AMS, "2026-06-15T22:00:00.000Z"],
    ["2026-06-15T10:00:00Z", "day", "UTC", "2026-06-15T00:00:00.000Z"],
    ["2026-06-15T10:00:00Z", "day", "America/New_York", "2026-06-15T04:00:00.000Z"],
    ["2026-06-15T02:00:00Z", "day", "America/New_York", "2026-06-14T04:00:00.000Z"],
    ["2026-01-01T05:00:00Z", "day", "Asia/Kolkata", "2025-12-31T18:30:00.000Z"], // +05:30
    ["2026-01-01T05:00:00Z", "day", "Asia/Kathmandu", "2025-12-31T18:15:00.000Z"], // +05:45
    // America/Santiago springs forward at local midnight: 2026-09-06 begins at 01:00 local (04:00Z).
    ["2026-09-06T12:00:00Z", "day", "America/Santiago", "2026-09-06T04:00:00.000Z"],
    // ISO weeks start on Monday 00:00 local. 2026-01-01 is a Thursday.
    ["2026-01-01T05:00:00Z", "week", AMS, "2025-12-28T23:00:00.000Z"],
    ["2026-03-29T12:00:00Z", "week", AMS, "2026-03-22T23:00:00.000Z"], // Sunday of the DST change
    ["2026-03-30T12:00:00Z", "week", AMS, "2026-03-29T22:00:00.000Z"], // Monday after
    ["2026-03-29T22:00:00Z", "week", AMS, "2026-03-29T22:00:00.000Z"], // exactly Monday 00:00 CEST
    ["2026-06-14T23:59:00Z", "week", "UTC", "2026-06-08T00:00:00.000Z"], // Sunday belongs to the week before
    ["2026-06-15T00:00:00Z", "week", "UTC", "2026-06-15T00:00:00.000Z"],
    ["2026-11-01T12:00:00Z", "month", AMS, "2026-10-31T23:00:00.000Z"], // CET
    ["2026-10-31T22:59:00Z", "month", AMS, "2026-09-30T22:00:00.000Z"], // still October locally
    ["2026-02-28T23:30:00Z", "month", AMS, "2026-02-28T23:00:00.000Z"], // March 1st 00:30 local
    ["2024-02-29T12:00:00Z", "month", "UTC", "2024-02-01T00:00:00.000Z"],
    ["2026-06-15T10:47:12.345Z", "hour", AMS, "2026-06-15T10:00:00.000Z"],
    ["2026-06-15T10:47:12.345Z", "hour", "Asia/Kolkata", "2026-06-15T10:30:00.000Z"],
  ])("%s by %s in %s starts at %s", (instant, interval, tz, expected) => {
    expect(iso(bucketStart(at(instant), interval, tz))).toBe(expected);
  });

  it("throws for an unknown zone", () => {
    expect(() => bucketStart(at("2026-01-01T00:00:00Z"), "day", "Mars/Olympus")).toThrow(RangeError);
  });
});

describe("bucketsBetween", () => {
  const hours = (a: Date, b: Date) => (b.getTime() - a.getTime()) / 3_600_000;

  it("gives a 23-hour day on 2026-03-29 and a 25-hour day on 2026-10-25 in Amsterdam", () => {
    const spring = bucketsBetween(at("2026-03-28T00:00:00Z"), at("2026-03-31T00:00:00Z"), "day", AMS);
    expect(spring.map(iso)).toEqual([
      "2026-03-27T23:00:00.000Z", "2026-03-28T23:00:00.000Z", "2026-03-29T22:00:00.000Z", "2026-03-30T22:00:00.000Z",
    ]);
    expect(hours(spring[1]!, spring[2]!)).toBe(23);
    const fall = bucketsBetween(at("2026-10-24T00:00:00Z"), at("2026-10-27T00:00:00Z"), "day", AMS);
    expect(fall.map(iso)).toEqual([
      "2026-10-23T22:00:00.000Z", "2026-10-24T22:00:00.000Z", "2026-10-25T23:00:00.000Z", "2026-10-26T23:00:00.000Z",
    ]);
    expect(hours(fall[1]!, fall[2]!)).toBe(25);
  });

  it("gives 25 local hour buckets on the fall-back day and 23 on the spring-forward day", () => {
    expect(bucketsBetween(at("2026-10-24T22:00:00Z"), at("2026-10-25T23:00:00Z"), "hour", AMS)).toHaveLength(25);
    expect(bucketsBetween(at("2026-03-28T23:00:00Z"), at("2026-03-29T22:00:00Z"), "hour", AMS)).toHaveLength(23);
  });

  it("steps ISO weeks across the DST change (the week holding it is 167 hours)", () => {
    const weeks = bucketsBetween(at("2026-03-16T00:00:00Z"), at("2026-04-06T00:00:00Z"), "week", AMS);
    expect(weeks.map(iso)).toEqual([
      "2026-03-15T23:00:00.000Z", "2026-03-22T23:00:00.000Z", "2026-03-29T22:00:00.000Z", "2026-04-05T22:00:00.000Z",
    ]);
    expect(hours(weeks[1]!, weeks[2]!)).toBe(167);
  });

  it("steps months of different lengths", () => {
    const months = bucketsBetween(at("2026-01-15T00:00:00Z"), at("2026-05-01T00:00:00Z"), "month", "UTC");
    expect(months.map(iso)).toEqual([
      "2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z", "2026-03-01T00:00:00.000Z", "2026-04-01T00:00:00.000Z",
    ]);
    expect(bucketsBetween(at("2026-09-01T00:00:00Z"), at("2026-12-01T00:00:00Z"), "month", AMS).map(iso)).toEqual([
      "2026-08-31T22:00:00.000Z", "2026-09-30T22:00:00.000Z", "2026-10-31T23:00:00.000Z", "2026-11-30T23:00:00.000Z",
    ]);
  });

  it("handles a day that starts after a DST gap at midnight (America/Santiago)", () => {
    const days = bucketsBetween(at("2026-09-05T12:00:00Z"), at("2026-09-07T12:00:00Z"), "day", "America/Santiago");
    expect(days.map(iso)).toEqual(["2026-09-05T04:00:00.000Z", "2026-09-06T04:00:00.000Z", "2026-09-07T03:00:00.000Z"]);
  });

  it("is empty for an empty or reversed range, and includes a bucket that starts before from", () => {
    expect(bucketsBetween(at("2026-01-02T00:00:00Z"), at("2026-01-02T00:00:00Z"), "day", "UTC")).toEqual([]);
    expect(bucketsBetween(at("2026-01-03T00:00:00Z"), at("2026-01-02T00:00:00Z"), "day", "UTC")).toEqual([]);
    expect(bucketsBetween(at("2026-01-02T12:00:00Z"), at("2026-01-03T00:00:01Z"), "day", "UTC").map(iso)).toEqual([
      "2026-01-02T00:00:00.000Z", "2026-01-03T00:00:00.000Z",
    ]);
  });

  it("gives 365 local days for a year in Amsterdam, each starting at local midnight", () => {
    const days = bucketsBetween(at("2025-12-31T23:00:00Z"), at("2026-12-31T23:00:00Z"), "day", AMS);
    expect(days).toHaveLength(365);
    const fmt = new Intl.DateTimeFormat("en-GB", { timeZone: AMS, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    expect(new Set(days.map((d) => fmt.format(d)))).toEqual(new Set(["00:00"]));
  });

  it("refuses more buckets than the limit", () => {
    expect(() => bucketsBetween(at("2020-01-01T00:00:00Z"), at("2026-01-01T00:00:00Z"), "hour", "UTC", 1000)).toThrow(RangeError);
  });

  it("nextBucketStart of a bucket start is the next bucket start", () => {
    expect(iso(nextBucketStart(at("2026-03-28T23:00:00Z"), "day", AMS))).toBe("2026-03-29T22:00:00.000Z");
    expect(iso(nextBucketStart(at("2026-12-31T23:00:00Z"), "month", AMS))).toBe("2027-01-31T23:00:00.000Z");
  });
});

describe("bucket invariants over random instants and zones", () => {
  const zones = ["UTC", AMS, "America/New_York", "America/Santiago", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Auckland", "America/Sao_Paulo"];
  const intervals: Interval[] = ["hour", "day", "week", "month"];
  // deterministic pseudo-random instants between 2015 and 2030
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const cases = Array.from({ length: 400 }, () => ({
    instant: new Date(Date.UTC(2015, 0, 1) + Math.floor(rnd() * 15 * 365 * 86_400_000)),
    tz: zones[Math.floor(rnd() * zones.length)]!,
    interval: intervals[Math.floor(rnd() * intervals.length)]!,
  }));

  it("start <= instant < next start, and a day/week/month starts at the first instant of its local date", () => {
    for (const { instant, tz, interval } of cases) {
      const start = bucketStart(instant, interval, tz);
      const next = nextBucketStart(start, interval, tz);
      expect(start.getTime()).toBeLessThanOrEqual(instant.getTime());
      expect(next.getTime()).toBeGreaterThan(instant.getTime());
      expect(bucketStart(start, interval, tz)).toEqual(start);
      if (interval !== "hour") {
        const date = new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" });
        // one minute earlier is another local date: the bucket begins exactly at a date change
        expect(date.format(new Date(start.getTime() - 60_000))).not.toBe(date.format(start));
      }
    }
  });
});
