/** One saved search: its trends (with drill-down), its matches, segment comparison and rising terms. */
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { ItemsPanel } from "../components/ItemsPanel";
import { periodFromParams } from "../components/PeriodPicker";
import { ErrorBox, Loading, NoRisingTerms } from "../components/Status";
import { formatValue } from "../format";
import { DIMENSIONS, METRIC_INFO, METRICS, type MetricName } from "../metrics";
import { navigate, setParams } from "../router";
import type { Terms } from "../types";
import { useApi } from "../use-api";
import { Trends } from "./Trends";
import { BackfillProgress, isNotFound, SearchForm, type SavedSearch } from "./Searches";

interface Comparison {
  metric: string;
  by: string;
  groups: { key: string | null; value: number | null; n: number }[];
  comparisons: { a: string | null; b: string | null; delta: number | null; test: string; pValue: number | null; significant: boolean }[];
}

export function SearchPage({ id, params, canWrite }: { id: string; params: URLSearchParams; canWrite: boolean }) {
  const search = useApi(() => api.get<SavedSearch>(`/v1/searches/${id}`), [id]);
  const [editing, setEditing] = useState(false);
  const s = search.data;
  const running = s && (s.backfill.state === "pending" || s.backfill.state === "running");
  useEffect(() => {
    if (!running) return;
    const t = setInterval(search.reload, 1_500);
    return () => clearInterval(t);
  }, [running]);
  const tab = params.get("tab") ?? "trends";
  const period = periodFromParams(params);

  async function remove() {
    if (!confirm(`Delete the saved search "${s?.name}"?`)) return;
    await api.del(`/v1/searches/${id}`);
    navigate("/searches");
  }

  if (search.error) return <main><h1>Saved search</h1><ErrorBox error={search.error} />{isNotFound(search.error) ? <a href="/searches">All saved searches</a> : null}</main>;
  if (!s) return <main><Loading what="the saved search" /></main>;
  return (
    <main>
      <p><a href="/searches">← Saved searches</a></p>
      <h1>{s.name}</h1>
      <p>
        <code data-testid="search-query">{s.query}</code> · <BackfillProgress b={s.backfill} />
      </p>
      {canWrite ? (
        <p>
          <button type="button" onClick={() => setEditing(!editing)}>{editing ? "Close the editor" : "Edit"}</button>{" "}
          <button type="button" onClick={() => void remove()}>Delete</button>
        </p>
      ) : null}
      {editing ? <SearchForm initial={s} onSaved={() => { setEditing(false); search.reload(); }} /> : null}
      <nav class="tabs" aria-label="Views of this search">
        {["trends", "items", "segments", "terms"].map((t) => (
          <button type="button" aria-pressed={tab === t} onClick={() => setParams({ tab: t === "trends" ? undefined : t })}>
            {t === "trends" ? "Trends" : t === "items" ? "Matching items" : t === "segments" ? "Segments" : "Rising terms"}
          </button>
        ))}
      </nav>
      {tab === "trends" ? <Trends params={params} scope={{ searchId: id }} /> : null}
      {tab === "items" ? <ItemsPanel path={`/v1/searches/${id}/items`} params={{}} tz={period.tz} title="Matching items, newest first" /> : null}
      {tab === "segments" ? <Segments id={id} params={params} /> : null}
      {tab === "terms" ? <SearchTerms id={id} params={params} /> : null}
    </main>
  );
}

function Segments({ id, params }: { id: string; params: URLSearchParams }) {
  const period = periodFromParams(params);
  const metric = ((METRICS as readonly string[]).includes(params.get("metric") ?? "") ? params.get("metric") : "volume") as MetricName;
  const by = params.get("by") ?? "segment";
  const q = { from: period.from.toISOString(), to: period.to.toISOString(), tz: period.tz, metric, by };
  const cmp = useApi(() => api.get<Comparison>(`/v1/searches/${id}/compare`, q), [JSON.stringify(q)]);
  const unit = metric === "volume" || metric === "mentions" ? "count" : metric.endsWith("time") ? "seconds" : metric === "nps" ? "nps" : metric === "ces" ? "score" : "percent";
  return (
    <section class="panel">
      <fieldset class="controls">
        <label>
          Metric{" "}
          <select value={metric} onChange={(e) => setParams({ metric: e.currentTarget.value })}>
            {METRICS.map((m) => <option value={m}>{METRIC_INFO[m].label}</option>)}
          </select>
        </label>
        <label>
          Compare by{" "}
          <select value={by} onChange={(e) => setParams({ by: e.currentTarget.value })}>
            {DIMENSIONS.map((d) => <option value={d}>{d}</option>)}
          </select>
        </label>
      </fieldset>
      <ErrorBox error={cmp.error} />
      {cmp.loading ? <Loading what="the comparison" /> : null}
      {cmp.data ? (
        <>
          <table data-testid="segments">
            <thead><tr><th scope="col">{by}</th><th scope="col">value</th><th scope="col">n</th></tr></thead>
            <tbody>
              {cmp.data.groups.map((g) => (
                <tr><td>{g.key ?? "(unknown)"}</td><td class="num">{formatValue(g.value, unit)}</td><td class="num">{g.n}</td></tr>
              ))}
            </tbody>
          </table>
          <h3>Differences between {by} values</h3>
          {cmp.data.comparisons.length === 0 ? <p class="muted">Fewer than two groups with data.</p> : (
            <table>
              <thead><tr><th scope="col">a</th><th scope="col">b</th><th scope="col">a − b</th><th scope="col">test</th><th scope="col">p</th><th scope="col">significant</th></tr></thead>
              <tbody>
                {cmp.data.comparisons.map((c) => (
                  <tr>
                    <td>{c.a ?? "(unknown)"}</td><td>{c.b ?? "(unknown)"}</td><td class="num">{formatValue(c.delta, unit)}</td>
                    <td>{c.test}</td><td class="num">{c.pValue === null ? "–" : c.pValue.toPrecision(2)}</td><td>{c.significant ? "✱ yes" : "no"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : null}
    </section>
  );
}

function SearchTerms({ id, params }: { id: string; params: URLSearchParams }) {
  const period = periodFromParams(params);
  const q = { from: period.from.toISOString(), to: period.to.toISOString(), limit: "20" };
  const terms = useApi(() => api.get<Terms>(`/v1/searches/${id}/terms`, q), [JSON.stringify(q)]);
  return (
    <section class="panel">
      <ErrorBox error={terms.error} />
      {terms.loading ? <Loading what="rising terms" /> : null}
      {terms.data ? (
        terms.data.terms.length === 0 ? <NoRisingTerms documents={terms.data.documents} /> : (
          <table>
            <thead><tr><th scope="col">Term</th><th scope="col">This period</th><th scope="col">Before</th><th scope="col">Significant</th></tr></thead>
            <tbody>{terms.data.terms.map((t) => <tr><td>{t.surface}</td><td class="num">{t.current.docs}</td><td class="num">{t.background.docs}</td><td>{t.significant ? "✱ yes" : "no"}</td></tr>)}</tbody>
          </table>
        )
      ) : null}
    </section>
  );
}
