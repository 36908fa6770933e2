/**
 * Notification payloads for an alert that opened: a Slack message in Block Kit, and the JSON body
 * of a generic webhook (signed by the sender with the inbound generic webhook's scheme). Pure.
 */
import { METRICS } from "../metrics/registry";
import type { AlertReading, AlertView } from "./alert-doc";
import { alertSeriesPath, OVERDUE_FOLLOW_UPS, SPIKE_MEANING, type SpikeMetric } from "./vocabulary";

const fmt = (x: number | null, digits = 1): string =>
  x === null ? "—" : Number.isInteger(x) ? String(x) : x.toFixed(digits);

/** "42 (expected 6.2, normal 1.5–11; n 42)" for a spike; "71.3 (bound 60; n 214)" for a threshold. */
export function readingText(kind: AlertView["kind"], r: AlertReading): string {
  if (kind === "spike") return `${fmt(r.value)} (expected ${fmt(r.expected)}, normal ${fmt(r.lower)}–${fmt(r.upper)}; n ${r.n})`;
  return `${fmt(r.value)} (bound ${fmt(r.expected)}; n ${r.n})`;
}

function headline(a: AlertView): string {
  const what =
    a.metric === OVERDUE_FOLLOW_UPS ? "Follow-ups overdue"
    : a.kind === "spike" ? `Spike in ${SPIKE_MEANING[a.metric as SpikeMetric] ?? a.metric}`
    : `${a.metric} crossed its bound`;
  return `${what}: ${a.ruleName}`;
}

/** The alert's series on the dashboard, when the dashboard's public address is known. */
export function dashboardLinkOf(publicUrl: string | null, a: AlertView): string | null {
  const path = alertSeriesPath(a);
  return publicUrl && path ? publicUrl.replace(/\/$/, "") + path : null;
}

/** How common a term was the week before: "usually 2.1%", "usually <0.1%", "new". */
function usually(share: number): string {
  if (share === 0) return "new";
  return share < 0.001 ? "usually <0.1%" : `usually ${(100 * share).toFixed(1)}%`;
}

/** A Slack date token: shown in the reader's own time zone, with the ISO time as its fallback. */
const slackDate = (d: Date): string => `<!date^${Math.floor(d.getTime() / 1000)}^{date_short_pretty} {time}|${d.toISOString()}>`;

/** Slack's text fields treat `&`, `<` and `>` as markup. */
const slackEscape = (s: string): string => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/**
 * The Slack incoming-webhook body: a `text` fallback (shown in notifications) and Block Kit
 * blocks — header, the reading as fields, the rising terms, up to three example items, and a
 * button to the dashboard when its address is known.
 */
export function slackMessageOf(a: AlertView, dashboardUrl: string | null): { text: string; blocks: unknown[] } {
  // Sent late (retries, or an evaluator catching up after an outage), the alert may be over
  // already: the message says so instead of reading as news.
  const over = a.state === "resolved" && a.resolvedAt !== null;
  const title = over ? `${headline(a)} (resolved)` : headline(a);
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: title.slice(0, 150), emoji: true } },
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Value*\n${slackEscape(readingText(a.kind, a.opening))}` },
        { type: "mrkdwn", text: over ? `*From – to*\n${slackDate(a.openedAt)} – ${slackDate(a.resolvedAt!)}` : `*Since*\n${slackDate(a.openedAt)}` },
        { type: "mrkdwn", text: `*Metric*\n${a.metric === OVERDUE_FOLLOW_UPS ? "follow-ups past their due time" : `${a.metric} (${METRICS[a.metric].definition})`}, every ${a.resolution}` },
        { type: "mrkdwn", text: `*Rule*\n${slackEscape(a.ruleName)}` },
      ],
    },
  ];
  if (a.why && a.why.terms.length > 0) {
    const terms = a.why.terms
      .slice(0, 5)
      .map((t) => `*${slackEscape(t.term)}* ${Math.round(100 * t.currentShare)}% (${usually(t.backgroundShare)})`)
      .join(" · ");
    blocks.push({ type: "section", text: { type: "mrkdwn", text: `*Rising terms*\n${terms}` } });
  }
  for (const ex of a.why?.examples.slice(0, 3) ?? []) {
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `_${ex.kind}_ ${slackEscape(ex.text.slice(0, 280))}` }] });
  }
  if (dashboardUrl) {
    blocks.push({
      type: "actions",
      elements: [{ type: "button", text: { type: "plain_text", text: "Open in Undercurrent" }, url: dashboardUrl }],
    });
  }
  return { text: `${title} — ${readingText(a.kind, a.opening)}${over ? `, resolved ${a.resolvedAt!.toISOString()}` : ""}`, blocks };
}

/** The generic webhook body: the event name and the alert as the API shows it. */
export function webhookBodyOf(a: AlertView, dashboardUrl: string | null): { event: "alert.opened"; alert: AlertView; url: string | null } {
  return { event: "alert.opened", alert: a, url: dashboardUrl };
}
