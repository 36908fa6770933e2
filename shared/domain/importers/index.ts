/**
 * Chooses a row mapper for an import file from its columns: known public formats are recognised
 * by their headers; anything else must already use canonical field names.
 */
import { AIRLINE_TWEET_COLUMNS, mentionFromAirlineTweet } from "./airline-tweets";
import { SERVICENOW_COLUMNS, ticketFromServiceNow } from "./servicenow";

export const IMPORT_KINDS = ["tickets", "mentions", "surveys", "customers"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export type RowMapper = (row: Record<string, string>) => Record<string, unknown>;

export interface ImportFormat {
  name: string;
  kind: ImportKind;
  map: RowMapper;
}

const FORMATS: (ImportFormat & { columns: string[] })[] = [
  { name: "servicenow-incident-events", kind: "tickets", columns: SERVICENOW_COLUMNS, map: ticketFromServiceNow },
  { name: "airline-tweets", kind: "mentions", columns: AIRLINE_TWEET_COLUMNS, map: mentionFromAirlineTweet },
];

/** The format of a CSV with these columns, for the requested kind. */
export function csvFormatOf(columns: string[], kind: ImportKind): ImportFormat {
  const have = new Set(columns);
  const known = FORMATS.find((f) => f.kind === kind && f.columns.every((c) => have.has(c)));
  return known ?? { name: "canonical", kind, map: canonicalFromCsvRow };
}

const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * A CSV row with canonical column names; nested fields use dots (`customer.segment`), lists use
 * `;` (`tags`), numbers are converted, empty cells are omitted.
 */
export function canonicalFromCsvRow(row: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, raw] of Object.entries(row)) {
    if (raw === "") continue;
    let value: unknown = raw;
    if (column === "tags") value = raw.split(";").map((s) => s.trim()).filter(Boolean);
    else if (/^(score|scale|agentReplies|customerMessages|reopens|handleTimeSec|author\.followers|monthlyRevenue)$/.test(column)) {
      value = Number(raw);
    }
    const path = column.split(".");
    if (path.some((key) => UNSAFE_KEYS.has(key))) continue;
    let target = out;
    for (const key of path.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    target[path[path.length - 1]!] = value;
  }
  return out;
}
