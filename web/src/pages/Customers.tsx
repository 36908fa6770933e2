/**
 * Customers: churn and retention for the period (tiles, churn by segment, plan or region), what
 * churned customers went through compared with retained ones, and closing the loop with survey
 * respondents (who is waiting, who is overdue, mark a follow-up done).
 */
import { useState } from "preact/hooks";
import { api } from "../api";
import { Chart } from "../components/Chart";
import { PeriodPicker, periodFromParams } from "../components/PeriodPicker";
import { Empty, ErrorBox, Loading } from "../components/Status";
import { Tile } from "../components/Tile";
import { formatBucket, formatCount, formatDateTime, formatDuration, formatValue } from "../format";
import type { Period } from "../period";
import { setParams } from "../router";
import { bucketsOf, seriesOf } from "../trend-chart";
import type { ChurnDrivers, Figure, FollowUp, FollowUpsPage, Trend } from "../types";
import { useApi } from "../use-api";
import { useSubmit } from "../use-submit";

const CHURN_GROUPS = ["", "segment", "plan", "region"] as const;
const FOLLOW_UP_TABS = [["overdue", "Overdue"], ["open", "Open"], ["done", "Done"]] as const;
const DRIVER_WINDOWS = ["30d", "90d", "180d"] as const;

/** Churn needs customers at a period's start: weeks for a quarter or less, months beyond. */
const churnIntervalFor = (p: Period) => ((p.to.getTime() - p.from.getTime()) / 86_400_000 <= 92 ? "week" : "month");

/** The whole-period figure of an ungrouped trend, as a tile shows it. */
function figureOf(t: Trend | undefined): Figure | undefined {
  const g = t?.groups[0];
  return t && g ? { ...g.total, definition: t.definition, change: g.change } : undefined;
}

export function CustomersPage({ params, canFollowUp }: { params: URLSearchParams; canFollowUp: boolean }) {
  const period = periodFromParams(params);
  const range = { from: period.from.toISOString(), to: period.to.toISOString(), tz: period.tz };
  const key = [range.from, range.to, range.tz];
  const churnInterval = churnIntervalFor(period);
  const groupBy = CHURN_GROUPS.find((g) => g === params.get("churnBy")) ?? "";
  const whole = { ...range, interval: "month" };
  const churn = useApi(() => api.get<Trend>("/v1/trends/churn-rate", whole), key);
  const retention = useApi(() => api.get<Trend>("/v1/trends/retention-rate", whole), key);
  const customers = useApi(() => api.get<Trend>("/v1/trends/customers", whole), key);
  const revenue = useApi(() => api.get<Trend>("/v1/trends/revenue-churn-rate", whole), key);
  const followUpRate = useApi(() => api.get<Trend>("/v1/trends/follow-up-rate", whole), key);
  const followUpTime = useApi(() => api.get<Trend>("/v1/trends/follow-up-time", whole), key);
  const churnSeries = useApi(
    () => api.get<Trend>("/v1/trends/churn-rate", { ...range, interval: churnInterval, groupBy: groupBy || undefined }),
    [...key, churnInterval, groupBy],
  );

  const figures = [churn, retention, customers, revenue, followUpRate, followUpTime];
  const error = figures.find((f) => f.error)?.error;
  const noCustomers = customers.data && figureOf(customers.data)?.value === 0 && figureOf(churn.data)?.n === 0;
  const tile = (id: string, label: string, t: Trend | undefined, better: "up" | "down" | "neither", extra?: string[]) => {
    const f = figureOf(t);
    return f ? <Tile id={id} label={label} figure={f} unit={t!.unit} better={better} extra={extra} smallN={20} /> : null;
  };
  const revenueFigure = figureOf(revenue.data);
  const followUpTimeParts = figureOf(followUpTime.data)?.parts;

  return (
    <main>
      <h1>Customers</h1>
      <PeriodPicker period={period} />
      <ErrorBox error={error} />
      {figures.some((f) => f.loading && !f.data) ? <Loading what="the customer figures" /> : null}
      {noCustomers ? (
        <Empty>
          <h2>No customers yet</h2>
          <p>
            Churn and retention need your customers: send them from your CRM or billing system with a key that has the <code>ingest</code> scope,
          </p>
          <pre>
            {`curl -X POST ${location.origin}/v1/customers -H "Authorization: Bearer <key>" \\
  -H 'content-type: application/json' \\
  -d '{"externalId":"c1","segment":"smb","plan":"pro","startedAt":"2026-01-15T00:00:00Z"}'`}
          </pre>
          <p>or import a CSV: <code>npm run cli -- import customers.csv --kind customers --key &lt;key&gt;</code>.</p>
        </Empty>
      ) : null}
      <div class="tiles">
        {tile("churn-rate", "Churn rate", churn.data, "down")}
        {tile("retention-rate", "Retention rate", retention.data, "up")}
        {tile("customers", "Customers at the end", customers.data, "neither")}
        {revenueFigure && revenueFigure.n > 0 ? tile("revenue-churn-rate", "Revenue churn", revenue.data, "down") : null}
        {tile("follow-up-rate", "Followed up on time", followUpRate.data, "up")}
        {tile(
          "follow-up-time", "Time to follow up (mean)", followUpTime.data, "down",
          followUpTimeParts?.median != null ? [`median ${formatDuration(followUpTimeParts.median)}`] : undefined,
        )}
      </div>
      <section class="panel">
        <h2>Churn rate per {churnInterval}</h2>
        <fieldset>
          <legend>Split by</legend>
          {CHURN_GROUPS.map((g) => (
            <button type="button" aria-pressed={g === groupBy} onClick={() => setParams({ churnBy: g || undefined })}>
              {g || "none"}
            </button>
          ))}
        </fieldset>
        <ErrorBox error={churnSeries.error} />
        {churnSeries.data ? (
          <Chart
            label={`Churn rate per ${churnInterval}${groupBy ? `, one line per ${groupBy}` : ""}`}
            categories={bucketsOf(churnSeries.data).map((b) => formatBucket(b, churnInterval, period.tz))}
            series={seriesOf(churnSeries.data, "line")}
            formatValue={(v) => formatValue(v, "percent")}
          />
        ) : (
          <Loading what="churn" />
        )}
        <p class="muted">
          Churn rate: customers at a {churnInterval}'s start who are gone at its end, over the customers at its start. Retention counts only the
          customers you had at the start; new customers are neither retained nor churned.
        </p>
      </section>
      <ChurnDriversPanel range={range} />
      <FollowUpsPanel tz={period.tz} canFollowUp={canFollowUp} tab={params.get("followUps") ?? "overdue"} />
    </main>
  );
}

function ChurnDriversPanel({ range }: { range: { from: string; to: string } }) {
  const [window, setWindow] = useState<(typeof DRIVER_WINDOWS)[number]>("90d");
  const drivers = useApi(() => api.get<ChurnDrivers>("/v1/churn/drivers", { from: range.from, to: range.to, window }), [range.from, range.to, window]);
  const d = drivers.data;
  return (
    <section class="panel" data-testid="churn-drivers">
      <h2>What churned customers went through</h2>
      <fieldset>
        <legend>Looking back</legend>
        {DRIVER_WINDOWS.map((w) => (
          <button type="button" aria-pressed={w === window} onClick={() => setWindow(w)}>{w.replace("d", " days")}</button>
        ))}
      </fieldset>
      <ErrorBox error={drivers.error} />
      {!d ? (
        <Loading what="churn drivers" />
      ) : d.churned === 0 ? (
        <p class="muted">No customer churned in this period, so there is nothing to compare yet.</p>
      ) : (
        <>
          <p>
            {formatCount(d.churned)} customers churned in this period and {formatCount(d.retained)} were retained. Each row compares them over the{" "}
            {d.windowDays} days before churning (or before the period's end), largest effect first.
          </p>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Measure</th>
                  <th scope="col">Churned</th>
                  <th scope="col">Retained</th>
                  <th scope="col">Difference</th>
                  <th scope="col">Significant</th>
                  <th scope="col">Effect</th>
                </tr>
              </thead>
              <tbody>
                {d.rows.map((r) => (
                  <tr data-measure={r.measure}>
                    <td>{r.label}</td>
                    <td class="num">{formatValue(r.churned.value, r.unit)} <span class="muted">n = {formatCount(r.churned.n)}</span></td>
                    <td class="num">{formatValue(r.retained.value, r.unit)} <span class="muted">n = {formatCount(r.retained.n)}</span></td>
                    <td class="num">{r.difference === null ? "–" : `${r.difference > 0 ? "+" : ""}${formatValue(r.difference, r.unit)}`}</td>
                    <td title={`${r.test.test}${r.test.pValue === null ? "" : `, p = ${r.test.pValue.toPrecision(2)}`}`}>{r.test.significant ? "✱ yes" : "no"}</td>
                    <td>{effectWords(r.effect.value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** Cohen's conventions: 0.2 small, 0.5 medium, 0.8 large. */
function effectWords(v: number | null): string {
  if (v === null) return "–";
  const a = Math.abs(v);
  const size = a >= 0.8 ? "large" : a >= 0.5 ? "medium" : a >= 0.2 ? "small" : "negligible";
  return `${size} (${v.toFixed(2)})`;
}

function FollowUpsPanel({ tz, canFollowUp, tab }: { tz: string; canFollowUp: boolean; tab: string }) {
  const state = FOLLOW_UP_TABS.find(([s]) => s === tab)?.[0] ?? "overdue";
  // done follow-ups cannot be closed again
  const canClose = canFollowUp && state !== "done";
  const [pages, setPages] = useState<{ state: string; items: FollowUp[]; nextCursor: string | null } | null>(null);
  const first = useApi(() => api.get<FollowUpsPage>("/v1/follow-ups", { state, limit: "25" }), [state]);
  // "Load more" appends to the first page of the current tab; a new tab starts again.
  const shown = pages && pages.state === state ? pages : first.data ? { state, ...first.data } : null;
  async function more() {
    if (!shown?.nextCursor) return;
    const next = await api.get<FollowUpsPage>("/v1/follow-ups", { state, limit: "25", cursor: shown.nextCursor });
    setPages({ state, items: [...shown.items, ...next.items], nextCursor: next.nextCursor });
  }
  const done = () => {
    setPages(null);
    first.reload();
  };
  return (
    <section class="panel" data-testid="follow-ups">
      <h2>Closing the loop</h2>
      <p class="muted">
        Every survey answer that needs one gets a follow-up, due by its category (by default detractors in 3 days, passives in 5, promoters in 7).
        An agent's reply on a ticket of the same customer closes it too.
      </p>
      <div class="tabs" role="group" aria-label="Follow-ups">
        {FOLLOW_UP_TABS.map(([s, label]) => (
          <button type="button" aria-pressed={s === state} onClick={() => setParams({ followUps: s === "overdue" ? undefined : s })}>{label}</button>
        ))}
      </div>
      <ErrorBox error={first.error} />
      {!shown ? (
        <Loading what="follow-ups" />
      ) : shown.items.length === 0 ? (
        <p class="muted">{state === "overdue" ? "Nobody is waiting past their due time." : state === "open" ? "No follow-up is open." : "No follow-up is done yet."}</p>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">Answer</th>
                <th scope="col">Customer</th>
                <th scope="col">Category</th>
                <th scope="col">Responded</th>
                <th scope="col">{state === "done" ? "Followed up" : "Due"}</th>
                {canClose ? <th scope="col"><span class="visually-hidden">Action</span></th> : null}
              </tr>
            </thead>
            <tbody>
              {shown.items.map((f) => (
                <FollowUpRow f={f} tz={tz} canFollowUp={canClose} onDone={done} />
              ))}
            </tbody>
          </table>
          {shown.nextCursor ? <button type="button" onClick={() => void more()}>Load more</button> : null}
        </>
      )}
    </section>
  );
}

function FollowUpRow({ f, tz, canFollowUp, onDone }: { f: FollowUp; tz: string; canFollowUp: boolean; onDone: (updated: FollowUp) => void }) {
  const [open, setOpen] = useState(false);
  const [by, setBy] = useState("");
  const [note, setNote] = useState("");
  const submit = useSubmit();
  const save = submit.submit(async () => {
    const path = `/v1/surveys/${encodeURIComponent(f.id)}/follow-up`;
    onDone(await api.post<FollowUp>(path, { by: by.trim(), ...(note.trim() ? { note: note.trim() } : {}) }));
  });
  return (
    <>
      <tr data-follow-up={f.id}>
        <td>{f.surveyKind.toUpperCase()} {f.score} <span class="muted">{f.externalId}</span></td>
        <td>{f.customerId ?? <span class="muted">unknown</span>}</td>
        <td>{f.category}</td>
        <td>{formatDateTime(f.respondedAt, tz)}</td>
        <td>
          {f.doneAt ? (
            <>
              {formatDateTime(f.doneAt, tz)} {f.onTime ? "on time" : <strong>late</strong>}
              <span class="muted"> · {f.via === "ticket-reply" ? "agent reply" : f.by}</span>
            </>
          ) : (
            <>
              {formatDateTime(f.dueAt, tz)} {f.overdue ? <strong class="overdue">overdue</strong> : null}
            </>
          )}
        </td>
        {canFollowUp ? (
          <td>
            <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>Mark followed up</button>
          </td>
        ) : null}
      </tr>
      {open ? (
        <tr>
          <td colSpan={6}>
            <form class="inline-form" onSubmit={save}>
              <label>
                Who followed up <input required maxLength={200} value={by} onInput={(e) => setBy(e.currentTarget.value)} />
              </label>
              <label>
                Note <input maxLength={5000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
              </label>
              <button type="submit" disabled={submit.busy || !by.trim()}>{submit.busy ? "Saving…" : "Save"}</button>
              <ErrorBox error={submit.error} />
            </form>
          </td>
        </tr>
      ) : null}
    </>
  );
}
