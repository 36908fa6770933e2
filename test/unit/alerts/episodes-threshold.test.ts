import { describe, expect, it } from "vitest";
import { closedEpisode, EpisodeEvent as E, Signal as S, stepEpisode } from "../../../shared/domain/alerts/episodes";
import { initialThresholdState, stepThreshold } from "../../../shared/domain/alerts/threshold";

describe("episodes", () => {
  const cases: { name: string; signals: S[]; resolveAfter: number; events: E[] }[] = [
    { name: "nothing happens", signals: [S.Normal, S.Elevated, S.Normal], resolveAfter: 2, events: [E.None, E.None, E.None] },
    {
      name: "opens on firing, one alert while anomalous, resolves after 2 normal buckets",
      signals: [S.Firing, S.Firing, S.Elevated, S.Normal, S.Normal, S.Normal],
      resolveAfter: 2,
      events: [E.Opened, E.Ongoing, E.Ongoing, E.Ongoing, E.Resolved, E.None],
    },
    {
      name: "a dip shorter than resolveAfter keeps it one episode",
      signals: [S.Firing, S.Normal, S.Firing, S.Normal, S.Normal],
      resolveAfter: 2,
      events: [E.Opened, E.Ongoing, E.Ongoing, E.Ongoing, E.Resolved],
    },
    {
      name: "a new spike after resolution is a new episode",
      signals: [S.Firing, S.Normal, S.Firing],
      resolveAfter: 1,
      events: [E.Opened, E.Resolved, E.Opened],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const st = closedEpisode();
      expect(c.signals.map((s) => stepEpisode(st, s, c.resolveAfter))).toEqual(c.events);
    });
  }
});

describe("threshold rules", () => {
  const settings = { bound: 30, direction: "above" as const, minN: 20, resolveAfter: 2 };
  const t = (i: number) => Date.UTC(2026, 2, 2) + i * 300_000;

  it("a threshold rule with too small n stays quiet", () => {
    const st = initialThresholdState();
    // 100 % negative, but from 3 mentions
    for (let i = 0; i < 10; i++) expect(stepThreshold(st, settings, t(i), 100, 3).event).toBe(E.None);
  });

  it("opens once when crossed with enough items, resolves when back under the bound", () => {
    const st = initialThresholdState();
    const values: [number, number][] = [[10, 50], [45, 50], [50, 60], [40, 55], [20, 50], [25, 50], [45, 50]];
    expect(values.map(([v, n], i) => stepThreshold(st, settings, t(i), v, n).event)).toEqual([
      E.None, E.Opened, E.Ongoing, E.Ongoing, E.Ongoing, E.Resolved, E.Opened,
    ]);
  });

  it("a retried bucket does not notify twice", () => {
    const st = initialThresholdState();
    expect(stepThreshold(st, settings, t(0), 50, 50).event).toBe(E.Opened);
    expect(stepThreshold(st, settings, t(0), 50, 50).event).toBe(E.None);
    expect(st.episode.open).toBe(true);
  });

  it("below: fires when the value drops under the bound", () => {
    const st = initialThresholdState();
    const below = { ...settings, direction: "below" as const, bound: 60 };
    expect(stepThreshold(st, below, t(0), 70, 50).event).toBe(E.None);
    expect(stepThreshold(st, below, t(1), 40, 50).event).toBe(E.Opened);
    expect(stepThreshold(st, below, t(2), null, 0).signal).toBe(S.Normal);
  });
});
