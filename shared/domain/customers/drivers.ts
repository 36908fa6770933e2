/**
 * Churn drivers: customers who churned in a period compared with those retained, on what they
 * went through in the `window` before churning (churned: before their cancellation; retained:
 * before the period's end). Each measure has a significance test suited to it and a standardized
 * effect size (Cohen's h for shares, Cohen's d for per-customer numbers and times, one scale), and
 * rows are sorted by the size of the effect. Pure.
 *
 * | measure | unit of observation | value per group | test | effect |
 * |---|---|---|---|---|
 * | contacts | customer: tickets created in the window | mean | Mann–Whitney U | d |
 * | reopened | customer: has a ticket in the window with a reopen | share | two proportions | h |
 * | fcr | resolved ticket in the window: one-touch | share | two proportions | h |
 * | resolution-time | resolved ticket in the window: seconds | median | Mann–Whitney U | d |
 * | negative | ticket or mention in the window with a sentiment: negative | share | two proportions | h |
 * | last-nps | customer with an NPS answer in the window: the last score | mean | Mann–Whitney U | d |
 * | search:<id> | customer: an item in the window matches the saved search | share | two proportions | h |
 */
import { cohensD, cohensH } from "../stats/effect-sizes";
import { mannWhitneyTest, twoProportionTest, type TestResult } from "../stats/tests";
import { spellAtBoundary, spellsOf } from "./spells";
import type { ChurnCustomer } from "./churn";

export interface DriverItem {
  customerId: string;
  kind: "ticket" | "mention" | "survey";
  /** the item's own time (ticket createdAt, mention postedAt, survey respondedAt) */
  at: Date;
  resolvedAt?: Date;
  createdAt?: Date;
  agentReplies?: number;
  reopens?: number;
  sentiment?: "negative" | "neutral" | "positive";
  surveyKind?: string;
  score?: number;
  searchIds?: readonly string[];
}

export interface Cohort {
  externalId: string;
  /** [from, to) of the window examined */
  windowFrom: Date;
  windowTo: Date;
}

/**
 * Churned customers (at the period's start, not at its end; window ending at the cancellation
 * of the spell they were in at the start) and retained ones (window ending at the period's end).
 */
export function cohortsOf(customers: readonly ChurnCustomer[], from: Date, to: Date, windowMs: number): { churned: Cohort[]; retained: Cohort[] } {
  const churned: Cohort[] = [];
  const retained: Cohort[] = [];
  for (const c of customers) {
    const spells = spellsOf(c.versions);
    const start = spellAtBoundary(spells, from);
    if (!start) continue;
    if (spellAtBoundary(spells, to)) {
      retained.push({ externalId: c.externalId, windowFrom: new Date(to.getTime() - windowMs), windowTo: to });
    } else {
      const end = start.cancelledAt!;
      churned.push({ externalId: c.externalId, windowFrom: new Date(end.getTime() - windowMs), windowTo: end });
    }
  }
  return { churned, retained };
}

export interface DriverSide {
  value: number | null;
  /** observations behind the value (customers, tickets or items: see `unit`) */
  n: number;
}

export interface DriverRow {
  measure: string;
  label: string;
  unit: "count" | "percent" | "seconds" | "nps-score";
  observations: "customers" | "tickets" | "items";
  churned: DriverSide;
  retained: DriverSide;
  /** churned − retained, in `unit` */
  difference: number | null;
  test: Pick<TestResult, "test" | "statistic" | "pValue" | "significant">;
  effect: { name: "cohen-h" | "cohen-d"; value: number | null };
}

const inWindow = (t: Date | undefined, c: Cohort) => t !== undefined && t.getTime() >= c.windowFrom.getTime() && t.getTime() < c.windowTo.getTime();
const mean = (x: readonly number[]) => (x.length ? x.reduce((a, b) => a + b, 0) / x.length : null);
function median(x: readonly number[]): number | null {
  if (!x.length) return null;
  const s = [...x].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
const testOnly = (t: TestResult) => ({ test: t.test, statistic: t.statistic, pValue: t.pValue, significant: t.significant });

function shareRow(measure: string, label: string, observations: DriverRow["observations"], c: boolean[], r: boolean[]): DriverRow {
  const xc = c.filter(Boolean).length;
  const xr = r.filter(Boolean).length;
  const pc = c.length ? xc / c.length : null;
  const pr = r.length ? xr / r.length : null;
  return {
    measure, label, unit: "percent", observations,
    churned: { value: pc === null ? null : 100 * pc, n: c.length },
    retained: { value: pr === null ? null : 100 * pr, n: r.length },
    difference: pc !== null && pr !== null ? 100 * (pc - pr) : null,
    test: testOnly(twoProportionTest(xc, c.length, xr, r.length)),
    effect: { name: "cohen-h", value: pc !== null && pr !== null ? cohensH(pc, pr) : null },
  };
}

function numberRow(
  measure: string, label: string, unit: DriverRow["unit"], observations: DriverRow["observations"],
  c: number[], r: number[], summary: (x: readonly number[]) => number | null,
): DriverRow {
  const vc = summary(c);
  const vr = summary(r);
  return {
    measure, label, unit, observations,
    churned: { value: vc, n: c.length },
    retained: { value: vr, n: r.length },
    difference: vc !== null && vr !== null ? vc - vr : null,
    test: testOnly(mannWhitneyTest(c, r)),
    effect: { name: "cohen-d", value: cohensD(c, r) },
  };
}

/**
 * The driver table: one row per measure and per saved search, sorted by |effect| (largest first;
 * rows without an effect last, then by measure).
 */
export function churnDriversOf(
  cohorts: { churned: readonly Cohort[]; retained: readonly Cohort[] },
  items: readonly DriverItem[],
  searches: readonly { id: string; name: string }[],
): DriverRow[] {
  const byCustomer = new Map<string, DriverItem[]>();
  for (const it of items) {
    const list = byCustomer.get(it.customerId) ?? [];
    list.push(it);
    byCustomer.set(it.customerId, list);
  }
  const within = (c: Cohort) => (byCustomer.get(c.externalId) ?? []).filter((it) => inWindow(it.at, c));
  const sides = [cohorts.churned, cohorts.retained].map((group) => {
    const perCustomer = group.map((c) => ({ c, items: within(c) }));
    const tickets = perCustomer.flatMap((p) => p.items.filter((it) => it.kind === "ticket"));
    const resolved = tickets.filter((t) => t.resolvedAt !== undefined);
    const withSentiment = perCustomer.flatMap((p) => p.items.filter((it) => it.kind !== "survey" && it.sentiment !== undefined));
    const lastNps = perCustomer.flatMap((p) => {
      const answers = p.items.filter((it) => it.kind === "survey" && it.surveyKind === "nps").sort((a, b) => a.at.getTime() - b.at.getTime());
      return answers.length ? [answers[answers.length - 1]!.score!] : [];
    });
    return { perCustomer, tickets, resolved, withSentiment, lastNps };
  });
  const [c, r] = sides as [(typeof sides)[0], (typeof sides)[0]];
  const rows: DriverRow[] = [
    numberRow("contacts", "tickets per customer", "count", "customers",
      c.perCustomer.map((p) => p.items.filter((it) => it.kind === "ticket").length),
      r.perCustomer.map((p) => p.items.filter((it) => it.kind === "ticket").length), mean),
    shareRow("reopened", "customers with a reopened ticket", "customers",
      c.perCustomer.map((p) => p.items.some((it) => it.kind === "ticket" && (it.reopens ?? 0) > 0)),
      r.perCustomer.map((p) => p.items.some((it) => it.kind === "ticket" && (it.reopens ?? 0) > 0))),
    shareRow("fcr", "first-contact resolution of resolved tickets", "tickets",
      c.resolved.map(oneTouch), r.resolved.map(oneTouch)),
    numberRow("resolution-time", "median resolution time", "seconds", "tickets",
      c.resolved.map(resolutionSec), r.resolved.map(resolutionSec), median),
    shareRow("negative", "negative tickets and mentions", "items",
      c.withSentiment.map((it) => it.sentiment === "negative"), r.withSentiment.map((it) => it.sentiment === "negative")),
    numberRow("last-nps", "last NPS score (0-10)", "nps-score", "customers", c.lastNps, r.lastNps, mean),
    ...searches.map((s) =>
      shareRow(`search:${s.id}`, `customers matching "${s.name}"`, "customers",
        c.perCustomer.map((p) => p.items.some((it) => it.searchIds?.includes(s.id))),
        r.perCustomer.map((p) => p.items.some((it) => it.searchIds?.includes(s.id))))),
  ];
  return rows.sort((a, b) => {
    const ea = a.effect.value === null ? -1 : Math.abs(a.effect.value);
    const eb = b.effect.value === null ? -1 : Math.abs(b.effect.value);
    return eb - ea || (a.measure < b.measure ? -1 : 1);
  });
}

const oneTouch = (t: DriverItem) => (t.agentReplies ?? 0) <= 1 && (t.reopens ?? 0) === 0;
const resolutionSec = (t: DriverItem) => Math.round((t.resolvedAt!.getTime() - t.createdAt!.getTime()) / 1000);
