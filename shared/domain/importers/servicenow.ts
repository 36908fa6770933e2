/**
 * Maps a row of ServiceNow's incident event log (UCI "Incident management process enriched event
 * log", Amaral et al.; a sample is in test/fixtures/data) to a canonical ticket input. Each row is
 * one update of an incident; rows of the same incident become versions of the same ticket.
 *
 * | ServiceNow | canonical |
 * |---|---|
 * | number | externalId (source `csv`) |
 * | incident_state New / Active / Awaiting * / Resolved / Closed | status new / open / pending / solved / closed |
 * | contact_type Phone, IVR / Email / Self service / Direct opening | channel phone / email / web / other |
 * | opened_at | createdAt |
 * | sys_updated_at (+ sys_mod_count ms) | updatedAt — the log has minute resolution; the modification counter orders updates within a minute |
 * | resolved_at (closed_at when missing) | resolvedAt, only once the state is Resolved or Closed, and never after the row's own update time: the log repeats the incident's *final* resolved_at on earlier rows, so an earlier "Resolved" row was resolved by its update time at the latest |
 * | reopen_count | reopens |
 * | assignment_group / assigned_to / priority / category, subcategory | team / assignee / priority / tags |
 * | caller_id | customer.id |
 *
 * Dates are `DD-MM-YYYY HH:MM` without a zone; they are read as UTC. The log carries no count of
 * agent replies, so `agentReplies` stays 0 and FCR for this data reflects reopens only.
 */
const STATUS: Record<string, string> = {
  New: "new",
  Active: "open",
  Resolved: "solved",
  Closed: "closed",
};
const CHANNEL: Record<string, string> = {
  Phone: "phone",
  IVR: "phone",
  Email: "email",
  "Self service": "web",
  "Direct opening": "other",
};

export const SERVICENOW_COLUMNS = ["number", "incident_state", "opened_at", "sys_updated_at", "contact_type"];

/** `29-02-2016 01:16` -> `2016-02-29T01:16:00Z`; `?` or anything else -> undefined. */
export function serviceNowDate(s: string | undefined): string | undefined {
  const m = s ? /^(\d{2})-(\d{2})-(\d{4}) (\d{2}):(\d{2})$/.exec(s.trim()) : null;
  return m ? `${m[3]}-${m[2]}-${m[1]}T${m[4]}:${m[5]}:00Z` : undefined;
}

function known(s: string | undefined): string | undefined {
  const v = s?.trim();
  return v && v !== "?" ? v : undefined;
}

/** The earlier of two ISO instants; the first when the second is missing. */
function earliestOf(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined || b === undefined) return a;
  return Date.parse(b) < Date.parse(a) ? b : a;
}

export function ticketFromServiceNow(row: Record<string, string>): Record<string, unknown> {
  const state = row.incident_state ?? "";
  const status = STATUS[state] ?? (state.startsWith("Awaiting") ? "pending" : state);
  const resolved = status === "solved" || status === "closed";
  const updated = serviceNowDate(row.sys_updated_at);
  const modCount = Number(row.sys_mod_count);
  const updatedAt =
    updated && Number.isInteger(modCount) && modCount >= 0 && modCount < 60_000
      ? new Date(Date.parse(updated) + modCount).toISOString()
      : updated;
  return {
    source: "csv",
    externalId: row.number,
    channel: CHANNEL[row.contact_type ?? ""] ?? "other",
    subject: [known(row.category), known(row.subcategory), known(row.u_symptom)].filter(Boolean).join(" / "),
    status,
    priority: known(row.priority),
    tags: [known(row.category), known(row.subcategory)].filter(Boolean),
    team: known(row.assignment_group),
    assignee: known(row.assigned_to),
    customer: known(row.caller_id) ? { id: known(row.caller_id) } : {},
    createdAt: serviceNowDate(row.opened_at) ?? row.opened_at,
    updatedAt,
    resolvedAt: resolved ? earliestOf(serviceNowDate(row.resolved_at) ?? serviceNowDate(row.closed_at), updatedAt) : undefined,
    reopens: Number.isInteger(Number(row.reopen_count)) ? Number(row.reopen_count) : 0,
  };
}
