/**
 * Where a workspace's items are, for a page whose period holds none of them: the dates they run
 * between (GET /v1/workspace `dataSpan`) and a button that shows those dates.
 */
import { daysCovering } from "../period";
import { setParams } from "../router";
import type { WorkspaceInfo } from "../types";

type DataSpan = WorkspaceInfo["dataSpan"];

/** Whether any of the span lies in the period. */
export function spanOverlaps(span: { first: string; last: string }, period: { from: Date; to: Date }): boolean {
  return Date.parse(span.first) < period.to.getTime() && Date.parse(span.last) >= period.from.getTime();
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
