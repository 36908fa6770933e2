/** Spells from versions: reactivation, corrections, and independence from the order of arrival. */
import { describe, expect, it } from "vitest";
import { periodOutcomeOf, spellsOf, type CustomerVersion } from "../../../shared/domain/customers";

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const version = (updated: string, started: string, cancelled: string | null, monthlyRevenue?: number): CustomerVersion => ({
  updatedAt: d(updated).getTime(), startedAt: d(started), cancelledAt: cancelled ? d(cancelled) : null,
  ...(monthlyRevenue !== undefined ? { monthlyRevenue } : {}),
});
const plain = (spells: ReturnType<typeof spellsOf>) =>
  spells.map((s) => [s.startedAt.toISOString().slice(0, 10), s.cancelledAt?.toISOString().slice(0, 10) ?? null]);

describe("spellsOf", () => {
  it("a cancellation ends the spell; a later start is a second spell", () => {
    const v = [version("2026-01-01", "2026-01-01", null), version("2026-02-01", "2026-01-01", "2026-02-01"), version("2026-03-01", "2026-03-01", null)];
    expect(plain(spellsOf(v))).toEqual([["2026-01-01", "2026-02-01"], ["2026-03-01", null]]);
  });

  it("gives the same spells for every order of arrival", () => {
    const v = [
      version("2026-01-01", "2026-01-01", null, 10),
      version("2026-02-01", "2026-01-01", "2026-02-01", 10),
      version("2026-03-01", "2026-03-01", null, 20),
      version("2026-04-01", "2026-03-01", "2026-04-01", 20),
    ];
    const expected = [["2026-01-01", "2026-02-01"], ["2026-03-01", "2026-04-01"]];
    const orders = [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1], [1, 3, 0, 2]];
    for (const o of orders) expect(plain(spellsOf(o.map((i) => v[i]!)))).toEqual(expected);
  });

  it("an undone cancellation and a corrected start change the spell, not the history", () => {
    const undone = [version("2026-01-01", "2026-01-01", null), version("2026-02-01", "2026-01-01", "2026-02-01"), version("2026-02-02", "2026-01-01", null)];
    expect(plain(spellsOf(undone))).toEqual([["2026-01-01", null]]);
    const corrected = [version("2026-01-05", "2026-01-05", null), version("2026-01-06", "2026-01-01", null)];
    expect(plain(spellsOf(corrected))).toEqual([["2026-01-01", null]]);
  });
});

describe("periodOutcomeOf at the edges of [from, to)", () => {
  const from = d("2026-03-01");
  const to = d("2026-04-01");
  const outcome = (started: string, cancelled: string | null) => periodOutcomeOf(spellsOf([version(started, started, cancelled)]), from, to);
  it.each([
    ["started before, still active", "2026-01-01", null, { atStart: true, churned: false, retained: true, isNew: false }],
    ["cancelled exactly at the start", "2026-01-01", "2026-03-01", { atStart: true, churned: true, retained: false }],
    ["cancelled exactly at the end", "2026-01-01", "2026-04-01", { atStart: true, churned: false, retained: true }],
    ["cancelled before the start", "2026-01-01", "2026-02-28", { atStart: false, churned: false, isNew: false }],
    ["started exactly at the start", "2026-03-01", null, { atStart: false, isNew: true, activeAtEnd: true }],
    ["started and left inside", "2026-03-02", "2026-03-20", { atStart: false, isNew: true, churned: false, activeAtEnd: false }],
    ["started exactly at the end", "2026-04-01", null, { atStart: false, isNew: false, activeAtEnd: false }],
  ])("%s", (_name, started, cancelled, expected) => {
    expect(outcome(started, cancelled)).toMatchObject(expected);
  });
});
