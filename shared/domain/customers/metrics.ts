/**
 * The customer metrics of /v1/trends (churn-rate, retention-rate, customers, revenue-churn-rate):
 * definitions, points and the change against the previous period. They are computed from the
 * customers' spells per query, not from rollups: whether a customer counts depends on their state
 * at the period's edges, which hourly sums cannot hold, and a workspace has few customers compared
 * with its items. Pure.
 */
import { twoProportionTest } from "../stats/tests";
import { bucketsBetween, type Interval } from "../time/buckets";
import { assertTimeZone } from "../time/zones";
import { churnMeasuresOf, withSpells, CUSTOMER_GROUP_KEYS, type ChurnCustomer, type ChurnMeasures, type CustomerGroupKey } from "./churn";
import type { Change } from "../metrics/points";

export const CUSTOMER_METRIC_NAMES = ["churn-rate", "retention-rate", "customers", "revenue-churn-rate"] as const;
export type CustomerMetricName = (typeof CUSTOMER_METRIC_NAMES)[number];

export const CUSTOMER_METRICS: Readonly<Record<CustomerMetricName, { definition: string; unit: string; test: string; description: string }>> = {
  "churn-rate": {
    definition: "churn-rate.v1", unit: "percent", test: "two-proportion-z",
    description: "customers at the period's start who are no longer customers at its end, over customers at its start",
  },
  "retention-rate": {
    definition: "retention-rate.v1", unit: "percent", test: "two-proportion-z",
    description: "customers at the period's start who are still customers at its end, over customers at its start (new customers excluded)",
  },
  customers: {
    definition: "customers.v1", unit: "count", test: "none",
    description: "customers active at the period's end",
  },
  "revenue-churn-rate": {
    definition: "revenue-churn-rate.v1", unit: "percent", test: "none",
    description: "monthly revenue of churned customers over the monthly revenue of customers at the period's start (those that give one)",
  },
};

export function isCustomerMetricName(s: string): s is CustomerMetricName {
  return (CUSTOMER_METRIC_NAMES as readonly string[]).includes(s);
}

export interface ChurnPoint {
  value: number | null;
  n: number;
  parts: Record<string, number | null>;
}

const pct = (x: number, n: number) => (n > 0 ? (100 * x) / n : null);

export function churnPointOf(metric: CustomerMetricName, m: ChurnMeasures): ChurnPoint {
  const parts = {
    atStart: m.atStart, churned: m.churned, retained: m.retained, returned: m.returned,
    newCustomers: m.newCustomers, activeAtEnd: m.activeAtEnd, corrected: m.corrected,
  };
  switch (metric) {
    case "churn-rate":
      return { value: pct(m.churned, m.atStart), n: m.atStart, parts };
    case "retention-rate":
      return { value: pct(m.retained, m.atStart), n: m.atStart, parts };
    case "customers":
      return { value: m.activeAtEnd, n: m.activeAtEnd, parts };
    case "revenue-churn-rate":
      return {
        value: m.revenueAtStart > 0 ? (100 * m.revenueChurned) / m.revenueAtStart : null,
        n: m.revenueCustomers,
        parts: { ...parts, revenueAtStart: m.revenueAtStart, revenueChurned: m.revenueChurned },
      };
  }
}

/** A change, whose test is "none" for the measures that are not samples (see `churnChangeOf`). */
export type ChurnChange = Omit<Change, "test"> & { test: Change["test"] | "none" };

/**
 * The change against the previous period. Churn and retention compare two proportions (z test);
 * the customer count is a stock, not a sample, and revenue churn a ratio of sums: they carry the
 * delta without a test (`test: "none"`).
 */
export function churnChangeOf(metric: CustomerMetricName, cur: ChurnMeasures, prev: ChurnMeasures): ChurnChange {
  const c = churnPointOf(metric, cur).value;
  const p = churnPointOf(metric, prev).value;
  const base = { previous: p, delta: c !== null && p !== null ? c - p : null };
  const t =
    metric === "churn-rate" ? twoProportionTest(cur.churned, cur.atStart, prev.churned, prev.atStart)
    : metric === "retention-rate" ? twoProportionTest(cur.retained, cur.atStart, prev.retained, prev.atStart)
    : null;
  if (!t) return { ...base, test: "none", statistic: null, pValue: null, significant: false };
  return { ...base, test: t.test, statistic: t.statistic, pValue: t.pValue, significant: t.significant };
}

export interface CustomerTrendOptions {
  from: Date;
  to: Date;
  interval: Interval;
  tz: string;
  groupBy: readonly string[];
  filters: Partial<Record<string, string | readonly string[]>>;
  now: Date;
  maxBuckets?: number;
}

export interface CustomerTrendGroup {
  key: Partial<Record<CustomerGroupKey, string | null>>;
  points: (ChurnPoint & { start: Date })[];
  total: ChurnPoint;
  change: ChurnChange;
}

export interface CustomerTrend {
  metric: CustomerMetricName;
  definition: string;
  unit: string;
  previousFrom: Date;
  previousTo: Date;
  groups: CustomerTrendGroup[];
  /** customers whose outcome over the whole range was changed by versions received after it ended */
  corrected: number;
}

const valuesOf = (v: string | readonly string[] | undefined): readonly string[] => (v === undefined ? [] : typeof v === "string" ? [v] : v);

/** Throws RangeError for a dimension customers do not have. */
function assertCustomerKeys(keys: readonly string[]): asserts keys is readonly CustomerGroupKey[] {
  for (const k of keys) {
    if (!(CUSTOMER_GROUP_KEYS as readonly string[]).includes(k)) {
      throw new RangeError(`customer metrics group and filter by ${CUSTOMER_GROUP_KEYS.join(", ")} only, not ${JSON.stringify(k)}`);
    }
  }
}

/**
 * The trend of a customer metric: one point per local bucket of `interval` in `tz` (each bucket
 * is its own period, clipped to [from, to)), a total over [from, to) computed as one period (not
 * a sum of buckets: a customer at the start of a later bucket is not a new sample), and the
 * change against the previous period of equal length. Groups follow the customers' current
 * segment, plan and region; ordered by total n, largest first.
 */
export function customerTrendOf(metric: CustomerMetricName, customers: readonly ChurnCustomer[], o: CustomerTrendOptions): CustomerTrend {
  if (!(o.from.getTime() < o.to.getTime())) throw new RangeError("from must be before to");
  assertTimeZone(o.tz);
  const filterKeys = Object.keys(o.filters).filter((k) => o.filters[k] !== undefined);
  assertCustomerKeys(o.groupBy);
  assertCustomerKeys(filterKeys);
  const groupBy = o.groupBy as readonly CustomerGroupKey[];
  const starts = bucketsBetween(o.from, o.to, o.interval, o.tz, o.maxBuckets ?? 10_000);
  const periods = starts.map((s, i) => ({
    start: s,
    from: new Date(Math.max(s.getTime(), o.from.getTime())),
    to: new Date(Math.min(starts[i + 1]?.getTime() ?? Infinity, o.to.getTime())),
  }));
  const len = o.to.getTime() - o.from.getTime();
  const prevFrom = new Date(o.from.getTime() - len);

  const groups = new Map<string, { key: CustomerTrendGroup["key"]; members: ReturnType<typeof withSpells>[] }>();
  for (const c of customers) {
    if (!filterKeys.every((k) => valuesOf(o.filters[k]).includes(c[k as CustomerGroupKey] ?? ""))) continue;
    const key: CustomerTrendGroup["key"] = {};
    for (const g of groupBy) key[g] = c[g] ?? null;
    const id = JSON.stringify(groupBy.map((g) => key[g]));
    let grp = groups.get(id);
    if (!grp) groups.set(id, (grp = { key, members: [] }));
    grp.members.push(withSpells(c));
  }
  if (groupBy.length === 0 && groups.size === 0) groups.set("[]", { key: {}, members: [] });

  let corrected = 0;
  const out: CustomerTrendGroup[] = [...groups.values()].map((g) => {
    const total = churnMeasuresOf(g.members, o.from, o.to, o.now);
    corrected += total.corrected;
    const previous = churnMeasuresOf(g.members, prevFrom, o.from, o.now);
    return {
      key: g.key,
      points: periods.map((p) => ({ start: p.start, ...churnPointOf(metric, churnMeasuresOf(g.members, p.from, p.to, o.now)) })),
      total: churnPointOf(metric, total),
      change: churnChangeOf(metric, total, previous),
    };
  });
  out.sort((a, b) => b.total.n - a.total.n || (JSON.stringify(a.key) < JSON.stringify(b.key) ? -1 : 1));
  const d = CUSTOMER_METRICS[metric];
  return { metric, definition: d.definition, unit: d.unit, previousFrom: prevFrom, previousTo: o.from, groups: out, corrected };
}
