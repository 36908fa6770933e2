/** Says how many points of a chart are too thin to read, and offers the interval that steadies them. */
import type { Period } from "../period";
import { SMALL_N, steadierInterval, thinPoints } from "../thin-points";
import type { Trend } from "../types";

export function ThinPointsNote({ trend, period, onInterval }: { trend: Trend; period: Period; onInterval: (interval: string) => void }) {
  const { thin, withItems } = thinPoints(trend);
  if (thin === 0) return null;
  const coarser = steadierInterval(trend, period);
  return (
    <p class="muted" data-testid="thin-points">
      {thin} of {withItems} points rest on fewer than {SMALL_N} items and are drawn faint: read them with care.
      {coarser ? (
        <>
          {" "}
          <button type="button" onClick={() => onInterval(coarser)}>
            Show per {coarser}
          </button>
        </>
      ) : null}
    </p>
  );
}
