/** A trend as CSV: one row per group and bucket, the same numbers as the table. Pure. */
import type { Trend } from "./types";

export type Cell = string | number | null;

function csvCell(v: Cell): string {
  if (v === null) return "";
  if (typeof v === "number") return String(v);
  // quote what a spreadsheet would split, and text it would take for a formula
  return /[",\n\r]/.test(v) || /^[=+\-@]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Header, then a row per group and bucket: start, the group's values, value, n, the parts. */
export function trendRows(t: Trend): Cell[][] {
  const partNames = [...new Set(t.groups.flatMap((g) => g.points.flatMap((p) => Object.keys(p.parts))))].sort();
  const rows: Cell[][] = [["start", ...t.groupBy, "value", "n", ...partNames]];
  for (const g of t.groups) {
    for (const p of g.points) {
      rows.push([p.start, ...t.groupBy.map((k) => g.key[k] ?? "(unknown)"), p.value, p.n, ...partNames.map((k) => p.parts[k] ?? null)]);
    }
  }
  return rows;
}

export function trendCsv(t: Trend): string {
  return `${trendRows(t).map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`;
}
