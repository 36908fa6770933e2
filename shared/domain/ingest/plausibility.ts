/**
 * Timestamps a support system can have produced: not before the oldest accepted instant (default
 * 2000-01-01) and not more than a small clock skew in the future (default 1 day). Items outside are
 * rejected with the field named, never clamped: a mean resolution time of 675 years, from a ticket
 * "created" in year 1, helps nobody, and a silently moved timestamp would be worse. Pure: the
 * caller passes `nowMs`.
 */
import type { FieldIssue } from "../../errors";
import type { ItemKind } from "../models";

export interface TimeWindow {
  nowMs: number;
  /** the oldest instant accepted, ms since the epoch */
  oldestMs: number;
  /** how far past `nowMs` an instant may lie (clock skew between systems) */
  maxFutureMs: number;
}

/** Instant fields per kind (items, and customers), as the caller sends them. */
const INSTANT_FIELDS: Record<ItemKind | "customer", readonly string[]> = {
  ticket: ["createdAt", "firstResponseAt", "resolvedAt", "updatedAt"],
  mention: ["postedAt"],
  survey: ["respondedAt"],
  customer: ["startedAt", "cancelledAt", "updatedAt"],
};

export function implausibleTimesOf(kind: ItemKind | "customer", item: Record<string, unknown>, w: TimeWindow, prefix: (string | number)[] = []): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const field of INSTANT_FIELDS[kind]) {
    const v = item[field];
    if (!(v instanceof Date)) continue;
    const path = [...prefix, field].join(".");
    if (v.getTime() < w.oldestMs) {
      issues.push({ path, message: `is before ${new Date(w.oldestMs).toISOString()}, the oldest time accepted` });
    } else if (v.getTime() > w.nowMs + w.maxFutureMs) {
      issues.push({ path, message: `is in the future (more than ${Math.round(w.maxFutureMs / 3_600_000)} h ahead of the server's clock)` });
    }
  }
  return issues;
}
