/**
 * Each group of a trend over the whole period against the previous period of the same length,
 * with the metric's significance test: the tiles' reading, per channel, platform or segment.
 */
import { formatCount, formatDelta, formatValue } from "../format";
import { daysCovering } from "../period";
import { groupLabel } from "../trend-chart";
import type { Trend } from "../types";

/**
 * `noHistory`: the workspace's data starts inside the period, so a change against the empty
 * period before would only say where the data starts (as on the tiles, none is shown).
 */
export function GroupChanges({ trend, noHistory }: { trend: Trend; noHistory: boolean }) {
  if (trend.groups.length === 0) return null;
  const unit = trend.unit;
  // its calendar days in the trend's time zone, the last one inclusive
  const previous = daysCovering(trend.previous.from, new Date(Date.parse(trend.previous.to) - 1).toISOString(), trend.tz);
  return (
    <div class="table-wrap group-changes">
      <table data-testid="group-changes">
        <caption>
          The whole period against the previous one ({previous.from} – {previous.to})
        </caption>
        <thead>
          <tr>
            <th scope="col">{trend.groupBy.join(" · ") || trend.metric}</th>
            <th scope="col" class="num">Value</th>
            <th scope="col" class="num">n</th>
            <th scope="col" class="num">Previous period</th>
            <th scope="col" class="num">Change</th>
            <th scope="col">Significant</th>
          </tr>
        </thead>
        <tbody>
          {trend.groups.map((g) => {
            const c = g.change;
            return (
              <tr>
                <td>{groupLabel(trend, g)}</td>
                <td class="num">{formatValue(g.total.value, unit)}</td>
                <td class="num">{formatCount(g.total.n)}</td>
                <td class="num">{noHistory ? "" : formatValue(c.previous, unit)}</td>
                <td class="num">{noHistory ? "no data before this period" : formatDelta(c.delta, c.previous, unit)}</td>
                <td>
                  {noHistory || c.delta === null ? "" : c.significant ? (
                    <strong class="significant" title={`${c.test}, p = ${c.pValue?.toPrecision(2)}`}>✱ yes</strong>
                  ) : (
                    <span class="muted">no</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
