/** Saved searches: each with a sparkline of its matches and its backfill's progress (live), and the editor. */
import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api";
import { Chart } from "../components/Chart";
import { QueryEditor, checkQuery } from "../components/QueryEditor";
import { Empty, ErrorBox, Loading } from "../components/Status";
import { formatCount } from "../format";
import { navigate } from "../router";
import type { Trend } from "../types";
import { useApi } from "../use-api";
import { useSubmit } from "../use-submit";

export interface SavedSearch {
  id: string;
  name: string;
  query: string;
  revision: number;
  createdAt: string;
  updatedAt: string;
  backfill: { state: "pending" | "running" | "done" | "failed"; revision: number; processed: number; total: number; error?: string };
}

const SPARK_DAYS = 30;

export function BackfillProgress({ b }: { b: SavedSearch["backfill"] }) {
  if (b.state === "done") return <span class="backfill done" data-state="done">✓ backfill done ({formatCount(b.processed)} items read)</span>;
  if (b.state === "failed") return <span class="backfill failed" data-state="failed">✗ backfill failed: {b.error}</span>;
  const pct = b.total > 0 ? Math.min(100, Math.round((b.processed / b.total) * 100)) : 0;
  return (
    <span class="backfill" data-state={b.state}>
      <progress max={100} value={pct} aria-label="Backfill progress" /> {b.state === "pending" ? "waiting to start" : `${pct}% of ${formatCount(b.total)}`}
    </span>
  );
}

function Sparkline({ id }: { id: string }) {
  const to = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
  const from = new Date(to.getTime() - SPARK_DAYS * 86_400_000);
  // the sentiment metric's n counts every enriched item of any kind: the search's matches per day
  const t = useApi(() => api.get<Trend>(`/v1/searches/${id}/trends/sentiment`, { from: from.toISOString(), to: to.toISOString(), interval: "day" }), [id]);
  if (!t.data) return <span class="spark muted">{t.error ? "–" : "…"}</span>;
  const ns = t.data.groups[0]?.points.map((p) => p.n) ?? [];
  const max = Math.max(1, ...ns);
  const d = ns.map((n, i) => `${i === 0 ? "M" : "L"}${(i / Math.max(1, ns.length - 1)) * 100},${20 - (n / max) * 18}`).join(" ");
  return (
    <svg class="spark" viewBox="0 0 100 20" preserveAspectRatio="none" role="img" aria-label={`${ns.reduce((a, b) => a + b, 0)} matches in the last ${SPARK_DAYS} days`}>
      <path d={d} fill="none" stroke="#0072B2" stroke-width="1.5" vector-effect="non-scaling-stroke" />
    </svg>
  );
}

export function SearchForm({ initial, onSaved }: { initial?: SavedSearch; onSaved: (s: SavedSearch) => void }) {
  const [name, setName] = useState(initial?.name ?? "");
  const [query, setQuery] = useState(initial?.query ?? "");
  const { busy: saving, error, submit } = useSubmit();
  const save = submit(async () => {
    const saved = initial
      ? await api.patch<SavedSearch>(`/v1/searches/${initial.id}`, { name, query })
      : await api.post<SavedSearch>("/v1/searches", { name, query });
    onSaved(saved);
  });
  return (
    <form class="search-form" onSubmit={save}>
      <label for="search-name">Name</label>
      <input id="search-name" value={name} required maxLength={200} onInput={(e) => setName(e.currentTarget.value)} />
      <label for="search-query">Query</label>
      <QueryEditor id="search-query" value={query} onInput={setQuery} />
      <p class="muted">
        Words, <code>"phrases"</code>, <code>prefix*</code>, <code>a NEAR/3 b</code>, <code>AND</code> / <code>OR</code> / <code>NOT</code> (or <code>-word</code>),
        fields such as <code>channel:email</code>, <code>tag:billing</code>, <code>score:&lt;7</code>.
      </p>
      <ErrorBox error={error} />
      <button type="submit" disabled={saving || checkQuery(query) !== null || !name.trim() || !query.trim()}>
        {saving ? "Saving…" : initial ? "Save changes" : "Create saved search"}
      </button>
    </form>
  );
}

export function SearchesPage({ canWrite }: { canWrite: boolean }) {
  const list = useApi(() => api.get<{ searches: SavedSearch[] }>("/v1/searches"), []);
  const [creating, setCreating] = useState(false);
  const searches = list.data?.searches ?? [];
  const busy = searches.some((s) => s.backfill.state === "pending" || s.backfill.state === "running");
  // backfills move on their own: follow them while any runs
  useEffect(() => {
    if (!busy) return;
    const t = setInterval(list.reload, 1_500);
    return () => clearInterval(t);
  }, [busy]);
  return (
    <main>
      <h1>Saved searches</h1>
      <ErrorBox error={list.error} />
      {canWrite ? (
        creating ? (
          <section class="panel">
            <h2>New saved search</h2>
            <SearchForm onSaved={(s) => { setCreating(false); list.reload(); navigate(`/searches/${s.id}`); }} />
            <button type="button" onClick={() => setCreating(false)}>Cancel</button>
          </section>
        ) : (
          <button type="button" onClick={() => setCreating(true)}>New saved search</button>
        )
      ) : (
        <p class="muted">Your key has no <code>searches</code> scope: you can read saved searches but not change them.</p>
      )}
      {list.loading && !list.data ? <Loading what="saved searches" /> : null}
      {list.data && searches.length === 0 ? (
        <Empty>
          <p>No saved searches yet. A saved search follows keywords and customer attributes over time, e.g. <code>refund AND (late OR delayed) segment:enterprise</code>.</p>
        </Empty>
      ) : null}
      {searches.length ? (
        <table class="searches" data-testid="searches">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Query</th>
              <th scope="col">Matches, last {SPARK_DAYS} days</th>
              <th scope="col">Backfill</th>
            </tr>
          </thead>
          <tbody>
            {searches.map((s) => (
              <tr data-id={s.id}>
                <td>
                  <a href={`/searches/${s.id}`}>{s.name}</a>
                </td>
                <td>
                  <code>{s.query}</code>
                </td>
                <td>
                  <Sparkline id={s.id} />
                </td>
                <td>
                  <BackfillProgress b={s.backfill} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </main>
  );
}

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404;
}
