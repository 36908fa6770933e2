import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  nabFileScore, nabNormalizedScore, parseNabTimestamp, probationaryLength, scaledSigmoid, windowsToRows,
} from "../../../shared/domain/alerts/nab-score";

const example = JSON.parse(readFileSync(new URL("../../fixtures/alerts/nab-hand-worked.json", import.meta.url), "utf8"));

function alertsAt(rows: number, at: number[]): Uint8Array {
  const a = new Uint8Array(rows);
  for (const i of at) a[i] = 1;
  return a;
}

describe("NAB scoring (standard profile)", () => {
  it("probationary rows: 15 % of the file, at most 750", () => {
    expect(probationaryLength(40)).toBe(6);
    expect(probationaryLength(4999)).toBe(749);
    expect(probationaryLength(5000)).toBe(750);
    expect(probationaryLength(15_831)).toBe(750);
  });

  it("scaled sigmoid: 2/(1+e^(5y)) - 1, and -1 beyond 3", () => {
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(-1)).toBeCloseTo(0.986614, 6);
    expect(scaledSigmoid(3)).toBeCloseTo(2 / (1 + Math.exp(15)) - 1, 12);
    expect(scaledSigmoid(3.0001)).toBe(-1);
  });

  it("scores the hand-worked example: alerts in probation, before, inside (twice), after windows and a missed window", () => {
    const s = nabFileScore(alertsAt(example.rows, example.alerts), example.windows);
    expect(s.raw).toBeCloseTo(example.expected.raw, 5);
    expect(s.windowScores.map((w) => w.score)).toEqual(example.expected.windowScores.map((x: number) => expect.closeTo(x, 5)));
    expect(s.windowScores[0]!.firstAlert).toBe(12);
    expect(s.falseAlerts).toBe(example.expected.falseAlerts);
    expect(s.detected).toBe(example.expected.detected);
    expect(s.nullScore).toBe(example.expected.nullScore);
    expect(s.perfect).toBe(example.expected.perfect);
  });

  it("a window straddling the probationary rows is scored from its first scored row", () => {
    const st = example.straddling;
    const s = nabFileScore(alertsAt(40, st.alerts), st.windows);
    expect(s.windows).toBe(1);
    expect(s.raw).toBeCloseTo(st.expectedRaw, 5);
    expect(s.windowScores[0]!.firstAlert).toBe(7);
  });

  it("a window wholly inside the probationary rows is not scored; alerts there count for nothing", () => {
    const s = nabFileScore(alertsAt(40, [1, 2]), [{ start: 1, end: 5 }]);
    expect(s).toMatchObject({ windows: 0, raw: 0, falseAlerts: 0, nullScore: -0, perfect: 0 });
  });

  it("never alerting scores 0, alerting at the first row of every window scores 100", () => {
    const windows = [{ start: 10, end: 19 }, { start: 30, end: 35 }];
    const none = nabFileScore(new Uint8Array(40), windows);
    const perfect = nabFileScore(alertsAt(40, [10, 30]), windows);
    expect(nabNormalizedScore([none])).toBe(0);
    expect(nabNormalizedScore([perfect])).toBeCloseTo(100, 10);
    expect(nabNormalizedScore([none, perfect])).toBeCloseTo(50, 10);
  });

  it("an alert far after a window costs the full A_fp", () => {
    const s = nabFileScore(alertsAt(100, [90]), [{ start: 10, end: 19 }]);
    // |19 - 90| / 9 > 3
    expect(s.falseAlertScore).toBeCloseTo(-0.11, 12);
  });

  it("normalisation reproduces NAB's published total for contextOSE from its raw scores", () => {
    const files = example.published.files.map((f: { windows: number; raw: number }) => ({ raw: f.raw, nullScore: -f.windows, perfect: f.windows }));
    expect(nabNormalizedScore(files)).toBeCloseTo(example.published.expectedScore, 2);
  });

  it("refuses windows outside the rows, overlapping or out of order", () => {
    expect(() => nabFileScore(new Uint8Array(10), [{ start: 5, end: 10 }])).toThrow(RangeError);
    expect(() => nabFileScore(new Uint8Array(10), [{ start: 2, end: 5 }, { start: 5, end: 7 }])).toThrow(/overlaps/);
  });

  it("maps NAB's window timestamps to rows", () => {
    const ts = ["2015-02-26 21:42:53", "2015-02-26 21:47:53", "2015-02-26 21:52:53"];
    expect(windowsToRows(ts, [["2015-02-26 21:42:53.000000", "2015-02-26 21:52:53.000000"]])).toEqual([{ start: 0, end: 2 }]);
    expect(() => windowsToRows(ts, [["2015-02-26 21:43:00.000000", "2015-02-26 21:52:53.000000"]])).toThrow(/window start 2015-02-26 21:43:00/);
    expect(parseNabTimestamp("2015-02-26 21:42:53.000000")).toBe(Date.UTC(2015, 1, 26, 21, 42, 53));
    expect(() => parseNabTimestamp("26/02/2015")).toThrow(RangeError);
  });
});
