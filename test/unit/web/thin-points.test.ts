import { describe, expect, it } from "vitest";
import type { Period } from "../../../web/src/period";
import { isThin, SMALL_N, steadierInterval, thinPoints } from "../../../web/src/thin-points";
import { seriesOf } from "../../../web/src/trend-chart";
import type { Trend } from "../../../web/src/types";

const change = { previous: null, delta: null, test: "none", pValue: null, significant: false };

/** A trend of one group per list of point sizes, every point 50%. */
function trendOf(unit: string, interval: string, ...groups: number[][]): Trend {
  return {
    metric: "sentiment", definition: "sentiment.v1", unit, interval, tz: "UTC",
    from: "2026-11-01T00:00:00.000Z", to: "2026-12-01T00:00:00.000Z",
    previous: { from: "2026-10-02T00:00:00.000Z", to: "2026-11-01T00:00:00.000Z" },
    groupBy: ["platform"],
    groups: groups.map((ns, gi) => ({
      key: { platform: `p${gi}` },
      points: ns.map((n, i) => ({ start: new Date(Date.UTC(2026, 10, 1 + i)).toISOString(), value: n ? 50 : null, n, parts: {} })),
      total: { value: 50, n: ns.reduce((a, b) => a + b, 0), parts: {} },
      change,
    })),
  };
}

const days = (n: number): Period => ({ from: new Date("2026-11-01T00:00:00Z"), to: new Date(Date.UTC(2026, 10, 1 + n)) });

describe("thin points (shares and averages over too few items)", () => {
  it("counts shares and averages below the bar as thin, never counts or empty points", () => {
    expect(isThin("percent", SMALL_N - 1)).toBe(true);
    expect(isThin("percent", SMALL_N)).toBe(false);
    expect(isThin("seconds", 3)).toBe(true);
    expect(isThin("count", 3)).toBe(false);
    expect(isThin("percent", 0)).toBe(false);
    expect(thinPoints(trendOf("percent", "day", [0, 5, 40], [29, 0, 30]))).toEqual({ thin: 2, withItems: 4 });
  });

  it("offers the next coarser interval when most points with items are thin", () => {
    const mostlyThin = trendOf("percent", "day", [3, 4, 50], [2, 0, 0]);
    expect(steadierInterval(mostlyThin, days(30))).toBe("week");
    expect(steadierInterval(trendOf("percent", "hour", [3, 4]), days(7))).toBe("day");
    expect(steadierInterval(trendOf("percent", "hour", [3, 4]), days(2))).toBeNull(); // two days: no trend
    expect(steadierInterval(trendOf("percent", "week", [3, 4]), days(365))).toBe("month");
  });

  it("offers nothing when half or fewer are thin, for counts, past a month, or when the coarser interval draws fewer than four buckets", () => {
    expect(steadierInterval(trendOf("percent", "day", [3, 40]), days(30))).toBeNull();
    expect(steadierInterval(trendOf("count", "day", [3, 4]), days(30))).toBeNull();
    expect(steadierInterval(trendOf("percent", "month", [3, 4]), days(365))).toBeNull();
    expect(steadierInterval(trendOf("percent", "day", [3, 4]), days(27))).toBeNull(); // under four weeks
    expect(steadierInterval(trendOf("percent", "day", [3, 4]), days(28))).toBe("week");
    expect(steadierInterval(trendOf("percent", "day", [0, 0]), days(30))).toBeNull();
  });

  it("marks the thin points of a chart series faint and says so in their tooltip", () => {
    const [s] = seriesOf(trendOf("percent", "day", [3, 0, 40]), "line");
    expect(s!.faint).toEqual([true, false, false]);
    expect(s!.notes![0]).toContain("few items, read with care");
    expect(s!.notes![2]).not.toContain("read with care");
    expect(seriesOf(trendOf("count", "day", [3]), "bar")[0]!.faint).toEqual([false]);
  });
});
