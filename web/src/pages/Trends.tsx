/**
 * The trends explorer: any metric, interval, time zone, up to two group-bys and any filters, as a
 * chart (with the previous period overlaid) or a table, downloadable as CSV. The URL holds it all.
 */
import { useState } from "preact/hooks";
import { api } from "../api";
import { Chart } from "../components/Chart";
import { dataStartsIn, ShowDataSpan, ShowNewestMatch } from "../components/DataSpan";
import { InFlightNote, useRefreshWhileInFlight } from "../components/FigureNotes";
import { GroupChanges } from "../components/GroupChanges";
import { DrillPanel } from "../components/ItemsPanel";
import { PeriodPicker, periodFromParams } from "../components/PeriodPicker";
import { ErrorBox, Loading } from "../components/Status";
import { ThinPointsNote } from "../components/ThinPoints";
import { trendCsv, trendRows } from "../csv";
import { formatBucket, formatValue } from "../format";
import { DIMENSIONS, INTERVALS, METRIC_INFO, METRICS, type MetricName } from "../metrics";
import { intervalFor } from "../period";
import { setParams } from "../router";
import { bucketEnd, bucketsOf, groupFilters, hasItems, previousSeriesOf, seriesOf } from "../trend-chart";
import type { ItemsPage, Trend, WorkspaceInfo } from "../types";
import { useApi } from "../use-api";

/** Filters live in the URL as `f.<dimension>=a,b`. */
export function filtersFromParams(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) if (k.startsWith("f.") && v) out[k.slice(2)] = v;
  return out;
}

export function Trends({ params, scope }: { params: URLSearchParams; scope?: { searchId: string } }) {
  const period = periodFromParams(params);
  const metric = ((METRICS as readonly string[]).includes(params.get("metric") ?? "") ? params.get("metric") : "volume") as MetricName;
  const interval = (INTERVALS as readonly string[]).includes(params.get("interval") ?? "") ? params.get("interval")! : intervalFor(period);
  const groupBy = (params.get("groupBy") ?? "").split(",").filter((d) => (DIMENSIONS as readonly string[]).includes(d)).slice(0, 2);
  const filters = filtersFromParams(params);
  const type = params.get("type") === "bar" ? "bar" : "line";
  const view = params.get("view") === "table" ? "table" : "chart";
  const overlay = params.get("previous") !== "0";
  const base = scope ? `/v1/searches/${scope.searchId}/trends/${metric}` : `/v1/trends/${metric}`;
  const query = { from: period.from.toISOString(), to: period.to.toISOString(), tz: period.tz, interval, groupBy: groupBy.join(",") || undefined, ...filters };
  const deps = [base, JSON.stringify(query)];
  const trend = useApi(() => api.get<Trend>(base, query), deps);
  const previous = useApi(
    overlay && trend.data ? () => api.get<Trend>(base, { ...query, from: trend.data!.previous.from, to: trend.data!.previous.to }) : null,
    [...deps, overlay, trend.data?.previous.from],
  );
  const [drill, setDrill] = useState<{ title: string; params: Record<string, string | undefined> } | null>(null);
  const t = trend.data;
  const unit = t?.unit ?? "count";
  // An answer with no items may only be the wrong period: say where the workspace's items are.
  const empty = Boolean(t && !hasItems(t) && !scope);
  // In a saved search: where its newest match is.
  const emptySearch = Boolean(t && !hasItems(t) && scope);
  const newest = useApi(emptySearch ? () => api.get<ItemsPage>(`/v1/searches/${scope!.searchId}/items`, { limit: "1" }) : null, [emptySearch, scope?.searchId]);
  const workspace = useApi(() => api.get<WorkspaceInfo>("/v1/workspace"), []);
  const noHistory = dataStartsIn(workspace.data?.dataSpan, period);
  const itemsShown = t ? t.groups.reduce((a, g) => a + g.total.n, 0) : Number.POSITIVE_INFINITY;
  const inFlight = useRefreshWhileInFlight(workspace, itemsShown, (how) => {
    trend[how]();
    previous[how]();
  });

  function download() {
    if (!t) return;
    const url = URL.createObjectURL(new Blob([trendCsv(t)], { type: "text/csv" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `${metric}-${query.from.slice(0, 10)}-${query.to.slice(0, 10)}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  }

  function onPoint(si: number, di: number) {
    if (!t || si >= t.groups.length) return; // a click on the previous period's line
    const g = t.groups[si]!;
    const start = bucketsOf(t)[di]!;
    setDrill({
      title: `${METRIC_INFO[metric].label}, ${formatBucket(start, interval, period.tz)}`,
      params: { metric, from: start, to: bucketEnd(t, di), ...filters, ...groupFilters(t, g), search: scope?.searchId },
    });
  }

  const filterDims = Object.keys(filters);
  const [newFilter, setNewFilter] = useState<string>("channel");
  return (
    <>
      <PeriodPicker period={period} />
      <InFlightNote processing={workspace.data?.processing} matters={inFlight} />
      <fieldset class="controls">
        <legend class="visually-hidden">What to show</legend>
        <label>
          Metric{" "}
          <select value={metric} onChange={(e) => setParams({ metric: e.currentTarget.value })}>
            {METRICS.map((m) => (
              <option value={m}>{METRIC_INFO[m].label}</option>
            ))}
          </select>
        </label>
        <label>
          Interval{" "}
          <select value={interval} onChange={(e) => setParams({ interval: e.currentTarget.value })}>
            {INTERVALS.map((i) => (
              <option value={i}>{i}</option>
            ))}
          </select>
        </label>
        {[0, 1].map((i) => (
          <label>
            {i === 0 ? "Group by" : "then by"}{" "}
            <select
              value={groupBy[i] ?? ""}
              disabled={i === 1 && !groupBy[0]}
              onChange={(e) => {
                const next = [...groupBy];
                next[i] = e.currentTarget.value;
                setParams({ groupBy: next.filter(Boolean).slice(0, e.currentTarget.value ? 2 : i).join(",") });
              }}
            >
              <option value="">(none)</option>
              {DIMENSIONS.map((d) => (
                <option value={d}>{d}</option>
              ))}
            </select>
          </label>
        ))}
        <label>
          Chart{" "}
          <select value={type} onChange={(e) => setParams({ type: e.currentTarget.value === "bar" ? "bar" : undefined })}>
            <option value="line">line</option>
            <option value="bar">bar</option>
          </select>
        </label>
        <label>
          <input type="checkbox" checked={overlay} onChange={(e) => setParams({ previous: e.currentTarget.checked ? undefined : "0" })} /> previous period
        </label>
      </fieldset>
      <fieldset class="controls filters">
        <legend>Filters</legend>
        {filterDims.map((d) => (
          <label>
            {d} ={" "}
            <input
              value={filters[d]}
              size={14}
              aria-label={`Filter ${d} (comma-separated values)`}
              onChange={(e) => setParams({ [`f.${d}`]: e.currentTarget.value.trim() })}
            />
            <button type="button" aria-label={`Remove the ${d} filter`} onClick={() => setParams({ [`f.${d}`]: undefined })}>
              ✕
            </button>
          </label>
        ))}
        <label>
          Add a filter on{" "}
          <select value={newFilter} onChange={(e) => setNewFilter(e.currentTarget.value)}>
            {DIMENSIONS.filter((d) => !filterDims.includes(d)).map((d) => (
              <option value={d}>{d}</option>
            ))}
          </select>
        </label>
        <input id="new-filter-value" placeholder="values, comma-separated" aria-label="Values of the new filter" size={18}
          onKeyDown={(e) => {
            if (e.key === "Enter" && e.currentTarget.value.trim()) setParams({ [`f.${newFilter}`]: e.currentTarget.value.trim() });
          }}
        />
      </fieldset>
      <div class="view-switch" role="group" aria-label="View">
        <button type="button" aria-pressed={view === "chart"} onClick={() => setParams({ view: undefined })}>
          Chart
        </button>
        <button type="button" aria-pressed={view === "table"} onClick={() => setParams({ view: "table" })}>
          Table
        </button>
        <button type="button" onClick={download} disabled={!t}>
          Download CSV
        </button>
      </div>
      <ErrorBox error={trend.error} />
      {t?.truncated ? <p class="warning">{t.truncated.hint}</p> : null}
      {trend.loading ? <Loading what="the trend" /> : null}
      {t && view === "chart" ? (
        <Chart
          label={`${METRIC_INFO[metric].label} per ${interval}`}
          categories={bucketsOf(t).map((b) => formatBucket(b, interval, period.tz))}
          series={[...seriesOf(t, type), ...(overlay && previous.data ? previousSeriesOf(previous.data, type, t) : [])]}
          formatValue={(v) => formatValue(v, unit)}
          onPointClick={onPoint}
          height={340}
        />
      ) : null}
      {t && view === "chart" ? <ThinPointsNote trend={t} period={period} onInterval={(i) => setParams({ interval: i })} /> : null}
      {t && view === "table" ? <TrendTable trend={t} onItems={(gi, pi) => onPoint(gi, pi)} /> : null}
      {t ? <GroupChanges trend={t} noHistory={noHistory} /> : null}
      {t ? (
        <p class="muted">
          {t.definition}
          {t.groups.length === 0 ? " · no data" : ""} · click a point for its items
        </p>
      ) : null}
      {empty ? <ShowDataSpan span={workspace.data?.dataSpan} period={period} /> : null}
      {emptySearch ? <ShowNewestMatch newest={newest.data?.items[0]?.at} period={period} /> : null}
      {drill ? <DrillPanel drill={drill} tz={period.tz} onClose={() => setDrill(null)} /> : null}
    </>
  );
}

/** The chart's numbers as a table; each row opens its items (the keyboard's way to drill down). */
function TrendTable({ trend, onItems }: { trend: Trend; onItems: (groupIndex: number, pointIndex: number) => void }) {
  const [header, ...rows] = trendRows(trend);
  const perGroup = bucketsOf(trend).length;
  return (
    <div class="table-wrap">
      <table data-testid="trend-table">
        <thead>
          <tr>
            {header!.map((h) => (
              <th scope="col">{h}</th>
            ))}
            <th scope="col">
              <span class="visually-hidden">Items</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr>
              {r.map((c, j) => (
                <td class={j === 0 ? "" : "num"}>{c === null ? "" : typeof c === "number" ? formatNumber(c) : c}</td>
              ))}
              <td>
                <button type="button" onClick={() => onItems(Math.floor(i / perGroup), i % perGroup)}>
                  Items
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const formatNumber = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

export function TrendsPage({ params }: { params: URLSearchParams }) {
  return (
    <main>
      <h1>Trends</h1>
      <Trends params={params} />
    </main>
  );
}
