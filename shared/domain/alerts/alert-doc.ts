/**
 * What an alert says, as stored and as notified: the rule's series, what was expected and what
 * came, and why (terms rising inside the spike, a few example items). Types and pure helpers.
 */
import type { AlertMetric } from "./vocabulary";
import type { AlertResolution } from "./rule-series";

export type AlertRuleKind = "spike" | "threshold";
export type ChannelType = "slack" | "webhook";
export type DeliveryState = "pending" | "retrying" | "delivered" | "failed" | "snoozed";

/** One bucket as the detector saw it. */
export interface AlertReading {
  /** bucket start */
  at: Date;
  /** the metric's value (a count for spikes on counts, the metric's unit for thresholds) */
  value: number | null;
  /** items behind the value */
  n: number;
  /** spike rules: expected count and the normal band; thresholds: the bound */
  expected: number | null;
  lower: number | null;
  upper: number | null;
  /** spike rules: the standard score of the most surprising window, and that window's length */
  z: number | null;
  windowSec: number | null;
}

export interface RisingTermNote {
  term: string;
  /** items with the term in the spike, and their share */
  current: number;
  currentShare: number;
  /** share of the term in the usual traffic before it */
  backgroundShare: number;
}

export interface ExampleItem {
  id: string;
  kind: string;
  at: Date;
  text: string;
}

export interface AlertWhy {
  /** the spike's items: from the start of the firing window to the end of the opening bucket */
  window: { from: Date; to: Date };
  /** the usual traffic compared with: the 7 days before the window */
  background: { from: Date; to: Date };
  terms: RisingTermNote[];
  examples: ExampleItem[];
}

export interface Delivery {
  channel: ChannelType;
  /** where to, without secrets: scheme and host only */
  target: string;
  state: DeliveryState;
  attempts: number;
  lastError?: string;
  deliveredAt?: Date;
}

/** The alert as the API and notifications show it. */
export interface AlertView {
  id: string;
  ruleId: string;
  ruleName: string;
  kind: AlertRuleKind;
  metric: AlertMetric;
  searchId: string | null;
  resolution: AlertResolution;
  state: "open" | "resolved";
  openedAt: Date;
  resolvedAt: Date | null;
  opening: AlertReading;
  peak: AlertReading;
  why: AlertWhy | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  deliveries: Delivery[];
}

/** `_id` of the alert a rule's episode opened at `openedAtMs`: a re-run of that bucket finds it. */
export const alertIdOf = (ruleId: string, openedAtMs: number): string => `${ruleId}-${openedAtMs.toString(36)}`;

/**
 * A URL's scheme and host, for showing and logging where a notification goes: Slack's webhook
 * URLs carry their secret in the path, generic ones may carry tokens in the query.
 */
export function redactedTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return "(invalid URL)";
  }
}

/**
 * Why a notification URL is refused, or null when it is fine: http(s) only, https when
 * `requireHttps` (production), and no user name or password in it (they would end up in logs and
 * listings).
 */
export function notificationUrlProblem(url: string, requireHttps: boolean): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "must be an absolute URL";
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return "must be an http(s) URL";
  if (requireHttps && u.protocol !== "https:") return "must use https";
  if (u.username || u.password) return "must not contain a user name or password";
  return null;
}
