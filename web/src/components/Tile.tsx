/**
 * One figure of the overview: value, n, and the change against the previous period with its
 * significance spelled out (an icon and words, never colour alone).
 */
import type { Figure } from "../types";
import { formatCount, formatDelta, formatValue } from "../format";
import { SMALL_N } from "../thin-points";

export interface TileProps {
  id: string;
  label: string;
  figure: Figure;
  unit: string;
  better: "up" | "down" | "neither";
  /** extra lines, e.g. median and p90 */
  extra?: string[];
  /** n below which the figure is flagged as too small to read as news */
  smallN?: number;
  /**
   * The workspace has no items before this period (its history starts inside it): a change
   * against the empty period before would only say that the data starts here, so none is shown.
   */
  noHistory?: boolean;
}

export function Tile({ id, label, figure, unit, better, extra, smallN = SMALL_N, noHistory = false }: TileProps) {
  const change = noHistory ? { ...figure.change, delta: null, previous: null, pValue: null, significant: false } : figure.change;
  const direction = change.delta === null || change.delta === 0 ? "flat" : change.delta > 0 ? "up" : "down";
  const tone = better === "neither" || direction === "flat" ? "neutral" : direction === better ? "good" : "bad";
  const arrow = direction === "up" ? "▲" : direction === "down" ? "▼" : "–";
  return (
    <section class={`tile tone-${tone}`} data-testid={`tile-${id}`} aria-label={label}>
      <h3>{label}</h3>
      <p class="value" data-value={figure.value ?? ""}>
        {formatValue(figure.value, unit)}
      </p>
      {extra?.map((e) => (
        <p class="extra">{e}</p>
      ))}
      <p class="change">
        <span aria-hidden="true">{arrow}</span> {noHistory ? "no data before this period" : formatDelta(change.delta, change.previous, unit)}
        <span class="visually-hidden"> against the previous period</span>
        {change.significant ? (
          <strong class="significant" title={`${change.test}, p = ${change.pValue?.toPrecision(2)}`}>
            {" "}✱ significant
          </strong>
        ) : change.delta !== null ? (
          <span class="muted"> (not significant)</span>
        ) : null}
      </p>
      <p class="n" data-n={figure.n}>
        n = {formatCount(figure.n)}
        {figure.n > 0 && figure.n < smallN ? <span class="small-n"> · few answers, read with care</span> : null}
      </p>
    </section>
  );
}
