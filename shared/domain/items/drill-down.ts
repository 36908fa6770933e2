/**
 * Which stored items stand behind a point of a trend: the MongoDB filter for a metric's items in
 * a time range with the trend's filters. Pure; the route runs it (GET /v1/items).
 *
 * A metric counts an item at the timestamp of its family (metrics/contribution.ts): volume at
 * createdAt, FCR and resolution time at resolvedAt, first response at firstResponseAt, surveys at
 * respondedAt, mentions at postedAt. Tickets, mentions and surveys are stored with their own time
 * as `at` (indexed), so only the resolved and first-response families read another field.
 */
import type { GroupKey } from "../metrics/contribution";
import type { MetricName } from "../metrics/registry";
import { ITEM_KINDS, RESOLVED_STATUSES } from "../vocabulary";

/** Where each trend dimension lives on a stored item (metrics/contributions-of.ts reads the same). */
export const ITEM_FIELD_OF: Readonly<Record<GroupKey, string>> = {
  kind: "kind",
  channel: "channel",
  source: "source",
  platform: "platform",
  team: "team",
  language: "enrichment.language",
  sentiment: "enrichment.sentiment.label",
  surveyKind: "surveyKind",
  touchpoint: "touchpoint",
  segment: "customer.segment",
  plan: "customer.plan",
  region: "customer.region",
  tag: "tags",
};

interface MetricItems {
  /** the field holding the time the metric buckets the item by */
  timeField: "at" | "resolvedAt" | "firstResponseAt";
  where: Record<string, unknown>;
}

const resolved = { kind: "ticket", status: { $in: [...RESOLVED_STATUSES] } };

const METRIC_ITEMS: Readonly<Record<MetricName, MetricItems>> = {
  volume: { timeField: "at", where: { kind: "ticket" } },
  mentions: { timeField: "at", where: { kind: "mention" } },
  fcr: { timeField: "resolvedAt", where: resolved },
  "resolution-time": { timeField: "resolvedAt", where: resolved },
  "handle-time": { timeField: "resolvedAt", where: { ...resolved, handleTimeSec: { $gte: 0 } } },
  "reopen-rate": { timeField: "resolvedAt", where: resolved },
  "first-response-time": { timeField: "firstResponseAt", where: { kind: "ticket", firstResponseAt: { $type: "date" } } },
  nps: { timeField: "at", where: { kind: "survey", surveyKind: "nps" } },
  csat: { timeField: "at", where: { kind: "survey", surveyKind: "csat" } },
  ces: { timeField: "at", where: { kind: "survey", surveyKind: "ces" } },
  sentiment: { timeField: "at", where: { "enrichment.sentiment.label": { $type: "string" } } },
};

export interface DrillDown {
  workspace: string;
  from: Date;
  to: Date;
  /** the metric whose items are wanted; none: every item by its own time */
  metric?: MetricName;
  /** dimension -> values to keep (any of them); `null` stands for "unknown" (no value) */
  filters: Partial<Record<GroupKey, readonly (string | null)[]>>;
  /** only the matches of this saved search */
  searchId?: string;
}

/**
 * The filter and the time field to sort and page by. Conditions are top-level fields where they
 * can be (so the `workspace, kind, at` index serves them); the rest go into `$and`.
 */
export function drillDownFilter(d: DrillDown): { filter: Record<string, unknown>; timeField: MetricItems["timeField"] } {
  const m = d.metric ? METRIC_ITEMS[d.metric] : { timeField: "at" as const, where: {} };
  // `$exists` spelled out on the other time fields: their indexes are partial on it, and MongoDB
  // uses a partial index only for a query that states the index's condition.
  const range = m.timeField === "at" ? { $gte: d.from, $lt: d.to } : { $exists: true, $gte: d.from, $lt: d.to };
  const filter: Record<string, unknown> = { workspace: d.workspace, ...m.where, [m.timeField]: range };
  const and: Record<string, unknown>[] = [];
  const add = (field: string, condition: unknown) => {
    if (field in filter) and.push({ [field]: condition });
    else filter[field] = condition;
  };
  if (d.searchId) add("searchIds", d.searchId);
  for (const [key, values] of Object.entries(d.filters) as [GroupKey, readonly (string | null)[]][]) {
    if (values.length === 0) continue;
    const field = ITEM_FIELD_OF[key];
    const known = values.filter((v): v is string => v !== null);
    // a chart's "unknown" group: the item has no value there (absent, null or "")
    const unknown = known.length < values.length;
    if (!unknown) add(field, { $in: known });
    else if (known.length === 0) add(field, { $in: [null, ""] });
    else and.push({ $or: [{ [field]: { $in: known } }, { [field]: { $in: [null, ""] } }] });
  }
  // Every kind spelled out when no metric or filter names one, so {workspace, kind, at} serves the
  // range on `at` (see shared/db/term-items.ts).
  if (!("kind" in filter) && m.timeField === "at") filter.kind = { $in: [...ITEM_KINDS] };
  if (and.length) filter.$and = and;
  return { filter, timeField: m.timeField };
}
