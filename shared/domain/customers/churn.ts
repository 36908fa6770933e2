/**
 * Churn, retention and customer counts of a period, from customers' spells. Pure: the caller
 * passes the customers and `now`.
 *
 * For a period [from, to):
 * - customers at its start: a spell with `startedAt < from <= cancelledAt` (see `spellAtBoundary`);
 * - active at its end: the same at `to`;
 * - churned: customers at its start who are not customers at its end (their spell ended inside
 *   the period, `from <= cancelledAt < to`, and they had not come back by its end);
 * - retained: customers at its start who are customers at its end. A customer who cancelled and
 *   came back inside the period is retained (and counted in `returned`), so retention is exactly
 *   100 − churn;
 * - new: customers not at its start whose spell started inside it: neither retained nor churned.
 */
import { spellAtBoundary, spellsKnownAt, spellsOf, type CustomerVersion, type Spell } from "./spells";

export const CUSTOMER_GROUP_KEYS = ["segment", "plan", "region"] as const;
export type CustomerGroupKey = (typeof CUSTOMER_GROUP_KEYS)[number];

export interface ChurnCustomer {
  externalId: string;
  segment?: string;
  plan?: string;
  region?: string;
  versions: CustomerVersion[];
}

/** What one customer adds to a period's measures. */
export interface PeriodOutcome {
  atStart: boolean;
  activeAtEnd: boolean;
  churned: boolean;
  retained: boolean;
  /** at the start, cancelled inside the period and customer again at its end */
  returned: boolean;
  /** not at the start, a spell started inside the period */
  isNew: boolean;
  /** monthly revenue of the spell at the start (undefined when not given) */
  revenueAtStart?: number;
}

export function periodOutcomeOf(spells: readonly Spell[], from: Date, to: Date): PeriodOutcome {
  const start = spellAtBoundary(spells, from);
  const end = spellAtBoundary(spells, to);
  const atStart = start !== undefined;
  const activeAtEnd = end !== undefined;
  const out: PeriodOutcome = {
    atStart,
    activeAtEnd,
    churned: atStart && !activeAtEnd,
    retained: atStart && activeAtEnd,
    returned: atStart && activeAtEnd && start !== end,
    isNew: !atStart && spells.some((s) => s.startedAt.getTime() >= from.getTime() && s.startedAt.getTime() < to.getTime()),
  };
  if (start?.monthlyRevenue !== undefined) out.revenueAtStart = start.monthlyRevenue;
  return out;
}

/** Summed outcomes of a period (one bucket, or a whole range); every field a count or a sum. */
export interface ChurnMeasures {
  atStart: number;
  churned: number;
  retained: number;
  returned: number;
  newCustomers: number;
  activeAtEnd: number;
  /** customers at the start whose spell gives a monthly revenue */
  revenueCustomers: number;
  revenueAtStart: number;
  revenueChurned: number;
  /** customers whose outcome differs from what was known when the period ended (late corrections) */
  corrected: number;
}

export const emptyChurnMeasures = (): ChurnMeasures => ({
  atStart: 0, churned: 0, retained: 0, returned: 0, newCustomers: 0, activeAtEnd: 0,
  revenueCustomers: 0, revenueAtStart: 0, revenueChurned: 0, corrected: 0,
});

function addOutcome(m: ChurnMeasures, o: PeriodOutcome): void {
  if (o.atStart) m.atStart++;
  if (o.churned) m.churned++;
  if (o.retained) m.retained++;
  if (o.returned) m.returned++;
  if (o.isNew) m.newCustomers++;
  if (o.activeAtEnd) m.activeAtEnd++;
  if (o.revenueAtStart !== undefined) {
    m.revenueCustomers++;
    m.revenueAtStart += o.revenueAtStart;
    if (o.churned) m.revenueChurned += o.revenueAtStart;
  }
}

const sameOutcome = (a: PeriodOutcome, b: PeriodOutcome) =>
  a.atStart === b.atStart && a.activeAtEnd === b.activeAtEnd && a.returned === b.returned && a.revenueAtStart === b.revenueAtStart;

/**
 * Whether the customer's outcome for [from, to) was changed by versions received after the period
 * ended (a late cancellation or a corrected date): the period is then recomputed from every
 * version, and the answer says so. A customer first heard of after the period (a history import)
 * is not a correction. Periods that have not ended at `now` have nothing to correct.
 */
export function correctedAfterPeriod(c: ChurnCustomer, outcome: PeriodOutcome, from: Date, to: Date, now: Date): boolean {
  if (to.getTime() > now.getTime()) return false;
  const t = to.getTime();
  const known = c.versions.some((v) => v.receivedAt !== undefined && v.receivedAt.getTime() < t);
  const late = c.versions.some((v) => v.receivedAt !== undefined && v.receivedAt.getTime() >= t);
  if (!known || !late) return false;
  return !sameOutcome(periodOutcomeOf(spellsKnownAt(c.versions, to), from, to), outcome);
}

/** The measures of [from, to) per group of customers (`groupOf` gives a group id, or null to skip). */
export function churnMeasuresOf(
  customers: readonly { customer: ChurnCustomer; spells: readonly Spell[] }[],
  from: Date,
  to: Date,
  now: Date,
): ChurnMeasures {
  const m = emptyChurnMeasures();
  for (const { customer, spells } of customers) {
    const o = periodOutcomeOf(spells, from, to);
    addOutcome(m, o);
    if (correctedAfterPeriod(customer, o, from, to, now)) m.corrected++;
  }
  return m;
}

/** The customer with its spells derived once, for repeated period computations. */
export function withSpells(c: ChurnCustomer): { customer: ChurnCustomer; spells: Spell[] } {
  return { customer: c, spells: spellsOf(c.versions) };
}
