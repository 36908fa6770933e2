/**
 * Where the data is, for a page whose period holds none of it: the dates a workspace's items run
 * between (GET /v1/workspace `dataSpan`), or a saved search's newest match, and a button that
 * shows those dates.
 */
import { daysCovering } from "../period";
import { setParams } from "../router";
import type { WorkspaceInfo } from "../types";

type DataSpan = WorkspaceInfo["dataSpan"];

/** Whether any of the span lies in the period. */
export function spanOverlaps(span: { first: string; last: string }, period: { from: Date; to: Date }): boolean {
  return Date.parse(span.first) < period.to.getTime() && Date.parse(span.last) >= period.from.getTime();
}

/**
 * Whether the workspace's data starts inside the period: then there is nothing before it, and a
 * change against the empty period before would only say where the data starts.
 */
export function dataStartsIn(span: DataSpan | undefined, period: { from: Date }): boolean {
  return Boolean(span?.first && Date.parse(span.first) >= period.from.getTime());
}

/** "This workspace's items run from … to …" with its button; nothing when there are no items or some are in the period. */
export function ShowDataSpan({ span, period }: { span: DataSpan | undefined; period: { from: Date; to: Date; tz: string } }) {
  if (!span?.first || !span.last || spanOverlaps({ first: span.first, last: span.last }, period)) return null;
  const days = daysCovering(span.first, span.last, period.tz);
  return (
    <p data-testid="data-span">
      This workspace's items run from {days.from} to {days.to} ({period.tz}).{" "}
      <button type="button" onClick={() => setParams({ period: "custom", from: days.from, to: days.to })}>
        Show {days.from} – {days.to}
      </button>
    </p>
  );
}

const DAY_MS = 86_400_000;

/**
 * "This search's newest match is from …" with a button showing the 30 days up to it; nothing
 * when there is no match or the newest is inside the period.
 */
export function ShowNewestMatch({ newest, period }: { newest: string | undefined; period: { from: Date; to: Date; tz: string } }) {
  if (!newest || spanOverlaps({ first: newest, last: newest }, period)) return null;
  const days = daysCovering(new Date(Date.parse(newest) - 29 * DAY_MS).toISOString(), newest, period.tz);
  return (
    <p data-testid="newest-match">
      This search's newest match is from {days.to} ({period.tz}).{" "}
      <button type="button" onClick={() => setParams({ period: "custom", from: days.from, to: days.to })}>
        Show the 30 days up to {days.to}
      </button>
    </p>
  );
}
