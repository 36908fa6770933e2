import { describe, expect, it } from "vitest";
import { trendCsv } from "../../../web/src/csv";
import type { Trend } from "../../../web/src/types";

const trend = (groups: Trend["groups"], groupBy: string[] = ["channel"]): Trend => ({
  metric: "volume", definition: "volume.v1", unit: "count", interval: "day", tz: "UTC", from: "", to: "", previous: { from: "", to: "" }, groupBy, groups,
});
const change = { previous: null, delta: null, test: "none", pValue: null, significant: false };

describe("trendCsv", () => {
  it("writes a row per group and bucket with value, n and every part", () => {
    const csv = trendCsv(
      trend([
        { key: { channel: "email" }, total: { value: 3, n: 3, parts: {} }, change, points: [{ start: "2026-03-01T00:00:00.000Z", value: 3, n: 3, parts: { median: 12.5 } }] },
        { key: { channel: null }, total: { value: -1, n: 1, parts: {} }, change, points: [{ start: "2026-03-01T00:00:00.000Z", value: -1, n: 1, parts: {} }] },
      ]),
    );
    expect(csv).toBe("start,channel,value,n,median\r\n2026-03-01T00:00:00.000Z,email,3,3,12.5\r\n2026-03-01T00:00:00.000Z,(unknown),-1,1,\r\n");
  });

  it("quotes separators and text a spreadsheet would run as a formula", () => {
    const csv = trendCsv(
      trend([{ key: { tag: "=HYPERLINK(\"x\"),1" }, total: { value: null, n: 0, parts: {} }, change, points: [{ start: "s", value: null, n: 0, parts: {} }] }], ["tag"]),
    );
    expect(csv.split("\r\n")[1]).toBe('s,"=HYPERLINK(""x""),1",,0');
  });
});
