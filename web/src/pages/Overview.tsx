/** One screen for a period: the tiles, volume by channel, sentiment by platform and rising terms. */
import { useState } from "preact/hooks";
import { api } from "../api";
import { Chart } from "../components/Chart";
import { dataStartsIn, ShowDataSpan, spanOverlaps } from "../components/DataSpan";
import { InFlightNote, LeftOutNote, useRefreshWhileInFlight } from "../components/FigureNotes";
import { DrillPanel } from "../components/ItemsPanel";
import { PeriodPicker, periodFromParams } from "../components/PeriodPicker";
import { Empty, ErrorBox, Loading, NoRisingTerms } from "../components/Status";
import { Tile } from "../components/Tile";
import { formatBucket, formatCount, formatDuration, formatValue } from "../format";
import { METRIC_INFO } from "../metrics";
import { intervalFor } from "../period";
import { steadierInterval } from "../thin-points";
import { bucketEnd, bucketsOf, groupFilters, hasItems, seriesOf } from "../trend-chart";
import type { Summary, Terms, Trend, WorkspaceInfo } from "../types";
import { useApi } from "../use-api";

interface Drill {
  title: string;
  params: Record<string, string | undefined>;
}

export function Overview({ params }: { params: URLSearchParams }) {
  const period = periodFromParams(params);
  const interval = intervalFor(period);
  const range = { from: period.from.toISOString(), to: period.to.toISOString(), tz: period.tz };
  const key = [range.from, range.to, range.tz];
  const summary = useApi(() => api.get<Summary>("/v1/trends/summary", range), key);
  const byChannel = useApi(() => api.get<Trend>("/v1/trends/volume", { ...range, interval, groupBy: "channel" }), key);
  const sentimentOf = (i: string) => () => api.get<Trend>("/v1/trends/sentiment", { ...range, interval: i, groupBy: "platform", kind: "mention" });
  const byPlatformFine = useApi(sentimentOf(interval), key);
  // Shares per day of a few mentions swing from 0% to 100%: when most points are that thin, the
  // chart is drawn at the next coarser interval instead.
  const steadier = byPlatformFine.data ? steadierInterval(byPlatformFine.data, period) : null;
  const byPlatformSteady = useApi(steadier ? sentimentOf(steadier) : null, [...key, steadier]);
  const byPlatform = steadier ? byPlatformSteady : byPlatformFine;
  const terms = useApi(() => api.get<Terms>("/v1/terms", { from: range.from, to: range.to, limit: "12" }), key);
  const [drill, setDrill] = useState<Drill | null>(null);

  const s = summary.data;
  const empty = s && s.volume.n === 0 && s.mentions.n === 0 && s.nps.n === 0 && s.csat.n === 0 && s.ces.n === 0;
  // Where the workspace's data is: an empty period may only be the wrong one (an imported
  // history), and a period where the data starts has nothing before it to compare with.
  const workspace = useApi(() => api.get<WorkspaceInfo>("/v1/workspace"), []);
  const span = workspace.data?.dataSpan;
  const noHistory = dataStartsIn(span, period);
  const itemsShown = s ? s.volume.n + s.mentions.n + s.nps.n + s.csat.n + s.ces.n : Number.POSITIVE_INFINITY;
  const inFlight = useRefreshWhileInFlight(workspace, itemsShown, (how) => {
    for (const answer of [summary, byChannel, byPlatformFine, ...(steadier ? [byPlatformSteady] : []), terms]) answer[how]();
  });

  function drillInto(t: Trend, metric: string, seriesIndex: number, dataIndex: number) {
    const g = t.groups[seriesIndex];
    const start = bucketsOf(t)[dataIndex];
    if (!g || !start) return;
    setDrill({
      title: `${METRIC_INFO[metric as keyof typeof METRIC_INFO]?.label ?? metric}: ${formatBucket(start, t.interval, period.tz)}`,
      params: { metric, from: start, to: bucketEnd(t, dataIndex), ...groupFilters(t, g), ...(metric === "sentiment" ? { kind: "mention" } : {}) },
    });
  }

  return (
    <main>
      <h1>Overview</h1>
      <PeriodPicker period={period} />
      <InFlightNote processing={workspace.data?.processing} matters={inFlight} />
      <LeftOutNote quarantined={workspace.data?.quarantined} />
      <ErrorBox error={summary.error} />
      {summary.loading && !s ? <Loading what="the summary" /> : null}
      {empty && inFlight ? (
        <Empty>
          <h2>Your items are on their way</h2>
          <p>They appear here as they are counted; this page updates on its own.</p>
        </Empty>
      ) : empty && span?.first && span.last ? (
        <Empty>
          <DataElsewhere first={span.first} last={span.last} period={period} />
        </Empty>
      ) : empty && !workspace.loading ? (
        <Empty>
          <h2>No data in this period yet</h2>
          <p>Send your first ticket with an ingest key, import a file, or connect a helpdesk:</p>
          <pre>
            {`curl -X POST ${location.origin}/v1/tickets -H "Authorization: Bearer <key>" \\
  -H 'content-type: application/json' \\
  -d '{"externalId":"1","subject":"Refund","channel":"email","status":"open","createdAt":"${new Date().toISOString()}"}'`}
          </pre>
          <p>
            or <code>npm run cli -- import tickets.csv --kind tickets --key &lt;key&gt;</code>, or set up a webhook under <a href="/settings">Settings</a>.
            If you have data from another period, choose a longer period above.
          </p>
        </Empty>
      ) : null}
      {s ? (
        <div class="tiles" aria-busy={summary.loading}>
          <Tile id="volume" label="Tickets" figure={s.volume} unit="count" better="neither" noHistory={noHistory} />
          <Tile id="mentions" label="Mentions" figure={s.mentions} unit="count" better="neither" noHistory={noHistory} />
          <Tile id="fcr" label="First-contact resolution" figure={s.fcr} unit="percent" better="up" noHistory={noHistory} />
          <Tile
            id="first-response-time" label="First response (mean)" figure={s.firstResponseTime} unit="seconds" better="down" noHistory={noHistory}
            extra={partsLine(s.firstResponseTime.parts)}
          />
          <Tile
            id="resolution-time" label="Resolution time (mean)" figure={s.resolutionTime} unit="seconds" better="down" noHistory={noHistory}
            extra={partsLine(s.resolutionTime.parts)}
          />
          <Tile id="reopen-rate" label="Reopen rate" figure={s.reopenRate} unit="percent" better="down" noHistory={noHistory} />
          <Tile id="nps" label="NPS" figure={s.nps} unit="nps" better="up" noHistory={noHistory} />
          <Tile id="csat" label="CSAT" figure={s.csat} unit="percent" better="up" noHistory={noHistory} />
          <Tile id="ces" label="CES (1–7)" figure={s.ces} unit="score-1-7" better="up" noHistory={noHistory} />
          <Tile id="sentiment" label="Negative sentiment" figure={s.sentiment} unit="percent" better="down" noHistory={noHistory} />
        </div>
      ) : null}
      <div class="charts">
        <section class="panel">
          <h2>Contact volume by channel</h2>
          <ErrorBox error={byChannel.error} />
          {byChannel.data && !hasItems(byChannel.data) ? (
            <p class="muted">No tickets in this period.</p>
          ) : byChannel.data ? (
            <Chart
              label="Tickets created per bucket, stacked by channel"
              categories={bucketsOf(byChannel.data).map((b) => formatBucket(b, interval, period.tz))}
              series={seriesOf(byChannel.data, "bar", { stack: true })}
              formatValue={(v) => formatValue(v, "count")}
              onPointClick={(si, di) => drillInto(byChannel.data!, "volume", si, di)}
            />
          ) : (
            <Loading what="volume" />
          )}
        </section>
        <section class="panel">
          <h2>
            Negative sentiment of mentions by platform
            {steadier ? <span class="muted heading-note"> per {steadier} (too few mentions per {interval})</span> : null}
          </h2>
          <ErrorBox error={byPlatform.error} />
          {byPlatform.data && !hasItems(byPlatform.data) ? (
            <p class="muted">No mentions with a sentiment in this period.</p>
          ) : byPlatform.data ? (
            <Chart
              label="Share of negative mentions per bucket, one line per platform"
              categories={bucketsOf(byPlatform.data).map((b) => formatBucket(b, byPlatform.data!.interval, period.tz))}
              series={seriesOf(byPlatform.data, "line")}
              formatValue={(v) => formatValue(v, "percent")}
              onPointClick={(si, di) => drillInto(byPlatform.data!, "sentiment", si, di)}
            />
          ) : (
            <Loading what="sentiment" />
          )}
        </section>
      </div>
      {drill ? <DrillPanel drill={drill} tz={period.tz} onClose={() => setDrill(null)} /> : null}
      <section class="panel">
        <h2>Rising terms</h2>
        <ErrorBox error={terms.error} />
        {terms.data ? (
          terms.data.terms.length ? (
            <table class="terms" data-testid="rising-terms">
              <thead>
                <tr>
                  <th scope="col">Term</th>
                  <th scope="col">This period</th>
                  <th scope="col">Before</th>
                  <th scope="col">Significant</th>
                </tr>
              </thead>
              <tbody>
                {terms.data.terms.map((t) => (
                  <tr>
                    <td>{t.surface}</td>
                    <td>{t.current.docs}</td>
                    <td>{t.background.docs}</td>
                    <td>{t.significant ? "✱ yes" : "no"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <NoRisingTerms documents={terms.data.documents} />
          )
        ) : (
          <Loading what="rising terms" />
        )}
        {terms.data?.truncated ? <SampleNote terms={terms.data} /> : null}
      </section>
    </main>
  );
}

/** Rising terms read from a sample of a long period's items: the counts are the sample's. */
function SampleNote({ terms }: { terms: Terms }) {
  const of = (read: number, all: number | null) => `${formatCount(read)} of ${all === null ? "more" : formatCount(all)}`;
  return (
    <p class="muted" data-testid="terms-sample">
      From a sample spread over each period: {of(terms.documents.current, terms.population.current)} items this period,{" "}
      {of(terms.documents.background, terms.population.background)} before; the counts are the sample's.
    </p>
  );
}

function partsLine(parts: Record<string, number | null>): string[] {
  const median = parts.median;
  const p90 = parts.p90;
  return median === null || median === undefined ? [] : [`median ${formatDuration(median)} · p90 ${p90 === null || p90 === undefined ? "–" : formatDuration(p90)}`];
}

/** The empty state of a workspace that has items, but none counted in this period. */
function DataElsewhere({ first, last, period }: { first: string; last: string; period: { from: Date; to: Date; tz: string } }) {
  if (spanOverlaps({ first, last }, period)) {
    return (
      <>
        <h2>Nothing counted in this period yet</h2>
        <p>This workspace has items in this period that are still being counted; the figures fill in as the workers catch up.</p>
      </>
    );
  }
  return (
    <>
      <h2>No data in this period</h2>
      <ShowDataSpan span={{ first, last }} period={period} />
    </>
  );
}
