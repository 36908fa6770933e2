/**
 * Assembles a candidate canonical ticket (see `ticketInputSchema` in ../models.ts) from what an
 * adapter could read. Timestamps are ISO strings; the caller's schema parse turns them into Dates
 * and enforces ordering rules (resolved before created is a 400, not a silent fix).
 */
import { clip, compact, tagList } from "./payload";
import type { Channel, Status } from "./types";

export interface CandidateFields {
  source: "zendesk" | "freshdesk" | "intercom" | "helpscout" | "front";
  externalId: string;
  channel: Channel;
  subject?: string;
  body?: string;
  status: Status;
  priority?: string;
  tags?: unknown[];
  team?: string;
  assignee?: string;
  customer?: { id?: string; segment?: string; plan?: string; region?: string; attributes?: Record<string, string | number | boolean> };
  language?: string;
  createdAt: string;
  firstResponseAt?: string;
  resolvedAt?: string;
  /** the event time: the version the store compares */
  updatedAt?: string;
  agentReplies?: number;
  customerMessages?: number;
  reopens?: number;
}

const RESOLVED: ReadonlySet<Status> = new Set(["solved", "closed"]);

/**
 * A candidate ticket. A resolved status without a known resolution time falls back to the event
 * time (`updatedAt`): the provider said "solved" at that moment at the latest. A resolution time is
 * dropped for unresolved statuses (a reopened ticket is not resolved). The version is never older
 * than what it reports: some providers stamp an event with the last *user* activity, which can
 * precede the reply or the closing the same event carries, so `updatedAt` is raised to the latest
 * of the instants given (canonical tickets refuse an updatedAt before resolvedAt).
 */
export function candidateTicket(f: CandidateFields): Record<string, unknown> {
  const resolved = RESOLVED.has(f.status);
  const resolvedAt = resolved ? (f.resolvedAt ?? f.updatedAt) : undefined;
  const attributes = f.customer?.attributes && Object.keys(f.customer.attributes).length > 0 ? f.customer.attributes : undefined;
  const customer = f.customer ? compact({ ...f.customer, attributes, id: clip(f.customer.id, 200) }) : undefined;
  return compact({
    source: f.source,
    externalId: f.externalId,
    channel: f.channel,
    subject: clip(f.subject, 2_000),
    body: clip(f.body, 100_000),
    status: f.status,
    priority: clip(f.priority, 50),
    tags: f.tags ? tagList(f.tags) : undefined,
    team: clip(f.team, 200),
    assignee: clip(f.assignee, 200),
    customer: customer && Object.keys(customer).length > 0 ? customer : undefined,
    language: f.language,
    createdAt: f.createdAt,
    firstResponseAt: f.firstResponseAt,
    resolvedAt,
    updatedAt: f.updatedAt === undefined ? undefined : latestOf(f.updatedAt, resolvedAt, f.firstResponseAt),
    agentReplies: f.agentReplies,
    customerMessages: f.customerMessages,
    reopens: f.reopens,
  });
}

/** The latest of ISO instants (unparseable ones ignored); `first` when nothing is later. */
function latestOf(first: string, ...others: (string | undefined)[]): string {
  let best = first;
  for (const o of others) if (o !== undefined && Date.parse(o) > Date.parse(best)) best = o;
  return best;
}

/** Looks a provider value up in a mapping table, case-insensitively; `fallback` when unknown. */
export function lookup<T>(table: Readonly<Record<string, T>>, value: unknown, fallback: T): T {
  if (typeof value !== "string" && typeof value !== "number") return fallback;
  const key = String(value).trim().toLowerCase();
  return Object.prototype.hasOwnProperty.call(table, key) ? (table[key] as T) : fallback;
}
