/**
 * Alerts: what fired (open first), what was expected and why, whether the notifications got out;
 * and the rules, with a form to add one.
 */
import { useState } from "preact/hooks";
import {
  alertSeriesPath, ALERT_METRIC_NAMES, ALERT_RESOLUTION_NAMES, OVERDUE_FOLLOW_UPS, SPIKE_MEANING, SPIKE_METRICS, type AlertMetric, type SpikeMetric,
} from "../../../shared/domain/alerts/vocabulary";
import { api } from "../api";
import { Empty, ErrorBox, Loading } from "../components/Status";
import { formatDateTime, formatValue } from "../format";
import { METRIC_INFO } from "../metrics";
import type { SavedSearch } from "./Searches";
import { useApi } from "../use-api";
import { useSubmit } from "../use-submit";

interface Reading {
  at: string;
  value: number | null;
  n: number;
  expected: number | null;
  lower: number | null;
  upper: number | null;
}

export interface Alert {
  id: string;
  ruleId: string;
  ruleName: string;
  kind: "spike" | "threshold";
  metric: AlertMetric;
  searchId: string | null;
  resolution: string;
  state: "open" | "resolved";
  openedAt: string;
  resolvedAt: string | null;
  opening: Reading;
  peak: Reading;
  why: { terms: { term: string; currentShare: number; backgroundShare: number }[]; examples: { id: string; kind: string; text: string }[] } | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  deliveries: { channel: string; target: string; state: string; attempts: number; lastError?: string }[];
}

interface Rule {
  id: string;
  name: string;
  kind: "spike" | "threshold";
  metric: AlertMetric;
  searchId: string | null;
  resolution: string;
  sensitivity: string;
  threshold: { bound: number; direction: string; minN: number } | null;
  channels: { type: string; target: string }[];
  enabled: boolean;
  snoozedUntil: string | null;
  lastBucket: string | null;
  openAlertId: string | null;
}

const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
const RESOLUTION_LABELS: Record<string, string> = { "5m": "5 minutes", "10m": "10 minutes", "15m": "15 minutes", "30m": "30 minutes", "1h": "an hour", "1d": "a day" };
const metricLabel = (m: AlertMetric): string => (m === OVERDUE_FOLLOW_UPS ? "Overdue follow-ups" : METRIC_INFO[m].label);
const num = (x: number | null) => (x === null ? "–" : Number.isInteger(x) ? String(x) : x.toFixed(1));

/** "60 mentions — expected about 4.9 (normal 0.5–9.4)" or "Negative sentiment 71.3 % — bound 60". */
function readingLine(a: Alert): string {
  const r = a.opening;
  if (a.kind === "spike") return `${num(r.value)} ${SPIKE_MEANING[a.metric as SpikeMetric] ?? a.metric} in ${RESOLUTION_LABELS[a.resolution] ?? a.resolution} — expected about ${num(r.expected)} (normal ${num(r.lower)}–${num(r.upper)})`;
  const unit = a.metric === "sentiment" || a.metric === "fcr" || a.metric === "reopen-rate" || a.metric === "csat" ? "percent" : "count";
  return `${metricLabel(a.metric)} ${formatValue(r.value, unit)} — bound ${num(r.expected)} (n ${r.n})`;
}

const SNOOZES = [
  { label: "1 hour", ms: 3_600_000 },
  { label: "1 day", ms: 86_400_000 },
  { label: "1 week", ms: 7 * 86_400_000 },
];

const isSnoozed = (snoozedUntil: string | null | undefined): snoozedUntil is string => Boolean(snoozedUntil && Date.parse(snoozedUntil) > Date.now());

/** An action of a card or a table: the request, then `onDone`; a refusal is kept for an ErrorBox. */
function useAction(onDone: () => void): { error: unknown; run: (request: () => Promise<unknown>) => Promise<void> } {
  const [error, setError] = useState<unknown>(null);
  async function run(request: () => Promise<unknown>) {
    try {
      await request();
      onDone();
    } catch (err) {
      setError(err);
    }
  }
  return { error, run };
}

function AlertCard({ a, snoozedUntil, canWrite, onChange }: { a: Alert; snoozedUntil: string | null | undefined; canWrite: boolean; onChange: () => void }) {
  const { error, run } = useAction(onChange);
  const series = alertSeriesPath({ ...a, openedAt: new Date(a.openedAt) });
  const act = (path: string, body: Record<string, unknown>) => run(() => api.post(`/v1/alerts/${a.id}/${path}`, body));
  return (
    <li class="alert-card" data-state={a.state}>
      <div class="alert-head">
        <span class={`badge ${a.state}`}>{a.state === "open" ? "Open" : "Resolved"}</span> <strong>{a.ruleName}</strong>{" "}
        <span class="muted">
          since {formatDateTime(a.openedAt, tz)}
          {a.resolvedAt ? `, resolved ${formatDateTime(a.resolvedAt, tz)}` : ""}
        </span>
      </div>
      <p class="alert-reading">{readingLine(a)}</p>
      {a.why && a.why.terms.length > 0 ? (
        <p>
          Rising:{" "}
          {a.why.terms.map((t) => (
            <span class="chip" title={`${Math.round(100 * t.currentShare)}% of the spike's items, ${(100 * t.backgroundShare).toFixed(1)}% the week before`}>
              {t.term}
            </span>
          ))}
        </p>
      ) : null}
      {a.why?.examples.slice(0, 2).map((x) => (
        <p class="item-text muted">
          <span class="kind">{x.kind}</span> {x.text}
        </p>
      ))}
      <p class="deliveries">
        {a.deliveries.length === 0 ? <span class="muted">No notification channels.</span> : null}
        {a.deliveries.map((d) => (
          <span class={`delivery ${d.state}`}>
            {d.channel} {d.target}: {d.state}
            {d.attempts > 1 ? ` after ${d.attempts} attempts` : ""}
            {d.lastError && d.state !== "delivered" ? ` (${d.lastError})` : ""}
          </span>
        ))}
      </p>
      <p>
        {series ? <a href={series}>See the series</a> : null}{" "}
        {a.acknowledgedAt ? (
          <span class="muted">· acknowledged by {a.acknowledgedBy} {formatDateTime(a.acknowledgedAt, tz)}</span>
        ) : canWrite ? (
          <button type="button" onClick={() => void act("acknowledge", {})}>Acknowledge</button>
        ) : null}
      </p>
      {a.state !== "open" ? null : isSnoozed(snoozedUntil) ? (
        <p class="muted" data-testid="snoozed">This rule's notifications are snoozed until {formatDateTime(snoozedUntil, tz)}.</p>
      ) : canWrite ? (
        <p class="snooze" role="group" aria-label="Snooze this rule's notifications">
          Snooze this rule's notifications for{" "}
          {SNOOZES.map((z) => (
            <button type="button" onClick={() => void act("snooze", { until: new Date(Date.now() + z.ms).toISOString() })}>
              {z.label}
            </button>
          ))}
        </p>
      ) : null}
      <ErrorBox error={error} />
    </li>
  );
}

/** The form's fields for a new rule, or for editing `r` (channels cannot be read back: the Slack field starts empty). */
function formOf(r?: Rule): Record<"name" | "kind" | "metric" | "searchId" | "resolution" | "sensitivity" | "bound" | "direction" | "minN" | "slack", string> {
  return {
    name: r?.name ?? "", kind: r?.kind ?? "spike", metric: r?.metric ?? "volume", searchId: r?.searchId ?? "", resolution: r?.resolution ?? "15m",
    sensitivity: r?.sensitivity ?? "medium", bound: r?.threshold ? String(r.threshold.bound) : "", direction: r?.threshold?.direction ?? "above",
    minN: String(r?.threshold?.minN ?? 20), slack: "",
  };
}

/** Creates a rule, or with `rule` changes it (PATCH: what is not sent, like its filters, stays). */
function RuleForm({ searches, rule, onSaved }: { searches: SavedSearch[]; rule?: Rule; onSaved: () => void }) {
  const [f, setF] = useState(() => formOf(rule));
  const { busy: saving, error, submit } = useSubmit();
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: (e.currentTarget as HTMLInputElement).value });
  const metrics: readonly AlertMetric[] = f.kind === "spike" ? SPIKE_METRICS : ALERT_METRIC_NAMES;
  const save = submit(async () => {
    const body = {
      name: f.name,
      kind: f.kind,
      metric: f.metric,
      searchId: f.searchId || null,
      resolution: f.resolution,
      sensitivity: f.sensitivity,
      ...(f.kind === "threshold" ? { threshold: { bound: Number(f.bound), direction: f.direction, minN: Number(f.minN) } } : {}),
    };
    const slack = f.slack.trim() ? [{ type: "slack", url: f.slack.trim() }] : null;
    if (rule) await api.patch(`/v1/alert-rules/${rule.id}`, slack ? { ...body, channels: slack } : body);
    else await api.post("/v1/alert-rules", { ...body, channels: slack ?? [] });
    onSaved();
  });
  return (
    <form class="search-form" onSubmit={save}>
      <label for="rule-name">Name</label>
      <input id="rule-name" required maxLength={200} value={f.name} onInput={set("name")} />
      <fieldset>
        <label>
          Kind{" "}
          <select value={f.kind} onChange={(e) => setF({ ...f, kind: e.currentTarget.value, metric: "volume" })}>
            <option value="spike">spike: unusual for this series</option>
            <option value="threshold">threshold: crosses a bound</option>
          </select>
        </label>
        <label>
          Metric{" "}
          <select value={f.metric} onChange={set("metric")}>
            {metrics.map((m) => <option value={m}>{f.kind === "spike" ? `${metricLabel(m)} (${SPIKE_MEANING[m as SpikeMetric]})` : metricLabel(m)}</option>)}
          </select>
        </label>
        <label>
          Saved search{" "}
          <select value={f.searchId} onChange={set("searchId")}>
            <option value="">whole workspace</option>
            {searches.map((s) => <option value={s.id}>{s.name}</option>)}
          </select>
        </label>
        <label>
          Every{" "}
          <select value={f.resolution} onChange={set("resolution")}>
            {ALERT_RESOLUTION_NAMES.map((r) => <option value={r}>{RESOLUTION_LABELS[r]}</option>)}
          </select>
        </label>
        {f.kind === "spike" ? (
          <label>
            Sensitivity{" "}
            <select value={f.sensitivity} onChange={set("sensitivity")}>
              <option value="low">low</option>
              <option value="medium">medium</option>
              <option value="high">high</option>
            </select>
          </label>
        ) : (
          <>
            <label>
              When{" "}
              <select value={f.direction} onChange={set("direction")}>
                <option value="above">above</option>
                <option value="below">below</option>
              </select>
            </label>
            <label>
              Bound <input type="number" step="any" required value={f.bound} onInput={set("bound")} />
            </label>
            <label>
              with at least <input type="number" min={1} required value={f.minN} onInput={set("minN")} /> items
            </label>
          </>
        )}
      </fieldset>
      <label for="rule-slack">Slack incoming-webhook URL (optional)</label>
      <input id="rule-slack" type="url" placeholder="https://hooks.slack.com/services/…" value={f.slack} onInput={set("slack")} />
      {rule ? (
        <p class="muted">
          Left empty, the rule keeps its channels ({rule.channels.length ? rule.channels.map((c) => `${c.type} ${c.target}`).join(", ") : "none"}); a URL
          here replaces them all. A change to what it watches restarts its detector, which learns again from the stored history.
        </p>
      ) : (
        <p class="muted">Generic signed webhooks can be added through the API (<code>POST /v1/alert-rules</code>, see the README).</p>
      )}
      <ErrorBox error={error} />
      <button type="submit" disabled={saving || !f.name.trim()}>{saving ? "Saving…" : rule ? "Save changes" : "Create rule"}</button>
    </form>
  );
}

function RulesTable({ rules, searches, canWrite, onChange }: { rules: Rule[]; searches: SavedSearch[]; canWrite: boolean; onChange: () => void }) {
  const { error, run } = useAction(onChange);
  const [editing, setEditing] = useState<string | null>(null);
  const edited = rules.find((r) => r.id === editing);
  const resume = (r: Rule) => run(() => api.del(`/v1/alert-rules/${r.id}/snooze`));
  const setEnabled = (r: Rule, enabled: boolean) => run(() => api.patch(`/v1/alert-rules/${r.id}`, { enabled }));
  async function remove(r: Rule) {
    if (!confirm(`Delete the rule "${r.name}"? Its past alerts stay.`)) return;
    await run(() => api.del(`/v1/alert-rules/${r.id}`));
  }
  return (
    <>
      <ErrorBox error={error} />
      <table>
        <thead>
          <tr><th>Rule</th><th>Watches</th><th>Every</th><th>Notifies</th><th>Last bucket</th>{canWrite ? <th /> : null}</tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr>
              <td>{r.name}{r.openAlertId ? <span class="badge open">open</span> : null}</td>
              <td>
                {r.kind === "spike" ? `spikes in ${SPIKE_MEANING[r.metric as SpikeMetric] ?? r.metric} (${r.sensitivity})` : `${metricLabel(r.metric)} ${r.threshold?.direction} ${r.threshold?.bound}`}
                {r.searchId ? <> in <a href={`/searches/${r.searchId}`}>a saved search</a></> : null}
              </td>
              <td>{RESOLUTION_LABELS[r.resolution] ?? r.resolution}</td>
              <td>
                {r.channels.length ? r.channels.map((c) => `${c.type} ${c.target}`).join(", ") : <span class="muted">nobody</span>}
                {isSnoozed(r.snoozedUntil) ? (
                  <>
                    {" "}
                    <span class="muted">(snoozed until {formatDateTime(r.snoozedUntil, tz)})</span>
                    {canWrite ? <button type="button" onClick={() => void resume(r)}>Resume notifications</button> : null}
                  </>
                ) : null}
              </td>
              <td>{!r.enabled ? <span class="muted">paused</span> : r.lastBucket ? formatDateTime(r.lastBucket, tz) : <span class="muted">warming up</span>}</td>
              {canWrite ? (
                <td>
                  <button type="button" onClick={() => setEditing(r.id)}>Edit</button>{" "}
                  <button type="button" onClick={() => void setEnabled(r, !r.enabled)} title={r.enabled ? "Stop watching; its open alert resolves" : "Watch again, after learning from the pause"}>
                    {r.enabled ? "Pause" : "Resume"}
                  </button>{" "}
                  <button type="button" onClick={() => void remove(r)}>Delete</button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {edited ? (
        <section aria-label={`Edit the rule ${edited.name}`}>
          <h3>Edit “{edited.name}”</h3>
          <RuleForm key={edited.id} searches={searches} rule={edited} onSaved={() => { setEditing(null); onChange(); }} />
          <button type="button" onClick={() => setEditing(null)}>Cancel</button>
        </section>
      ) : null}
    </>
  );
}

export function AlertsPage({ canWrite }: { canWrite: boolean }) {
  const [pages, setPages] = useState<string[]>([""]);
  const alerts = useApi(async () => {
    const out: Alert[] = [];
    let next: string | null = null;
    for (const cursor of pages) {
      const page: { alerts: Alert[]; nextCursor: string | null } = await api.get("/v1/alerts", { limit: "20", cursor: cursor || undefined });
      out.push(...page.alerts);
      next = page.nextCursor;
    }
    return { alerts: out, next };
  }, [pages.length]);
  const rules = useApi(() => api.get<{ rules: Rule[] }>("/v1/alert-rules"), []);
  const searches = useApi(() => api.get<{ searches: SavedSearch[] }>("/v1/searches"), []);
  const [creating, setCreating] = useState(false);
  const list = alerts.data?.alerts ?? [];
  const open = list.filter((a) => a.state === "open");
  const past = list.filter((a) => a.state === "resolved");
  const snoozeOf = new Map(rules.data?.rules.map((r) => [r.id, r.snoozedUntil]) ?? []);
  const reload = () => {
    alerts.reload();
    rules.reload();
  };
  return (
    <main>
      <h1>Alerts</h1>
      <ErrorBox error={alerts.error ?? rules.error} />
      {alerts.loading && !alerts.data ? <Loading what="alerts" /> : null}
      {alerts.data && list.length === 0 ? (
        <Empty>
          <p>No alerts yet. Rules below watch a metric (optionally within a saved search) and open an alert when a bucket is unusual or crosses a bound.</p>
        </Empty>
      ) : null}
      {open.length > 0 ? (
        <section>
          <h2>Open ({open.length})</h2>
          <ul class="item-list">{open.map((a) => <AlertCard a={a} snoozedUntil={snoozeOf.get(a.ruleId)} canWrite={canWrite} onChange={reload} />)}</ul>
        </section>
      ) : null}
      {past.length > 0 ? (
        <section>
          <h2>Resolved</h2>
          <ul class="item-list">{past.map((a) => <AlertCard a={a} snoozedUntil={snoozeOf.get(a.ruleId)} canWrite={canWrite} onChange={reload} />)}</ul>
        </section>
      ) : null}
      {alerts.data?.next ? <button type="button" onClick={() => setPages([...pages, alerts.data!.next!])}>Older alerts</button> : null}

      <section class="panel">
        <h2>Rules</h2>
        {rules.data && rules.data.rules.length > 0 ? <RulesTable rules={rules.data.rules} searches={searches.data?.searches ?? []} canWrite={canWrite} onChange={reload} /> : null}
        {rules.data && rules.data.rules.length === 0 ? <p class="muted">No rules yet.</p> : null}
        {canWrite ? (
          creating ? (
            <>
              <h3>New rule</h3>
              <RuleForm searches={searches.data?.searches ?? []} onSaved={() => { setCreating(false); reload(); }} />
              <button type="button" onClick={() => setCreating(false)}>Cancel</button>
            </>
          ) : (
            <button type="button" onClick={() => setCreating(true)}>New rule</button>
          )
        ) : (
          <p class="muted">Your key has no <code>searches</code> scope: you can read alerts but not change rules.</p>
        )}
      </section>
    </main>
  );
}
