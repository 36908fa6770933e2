/**
 * Sends one notification of an alert to one of its rule's channels: a Slack incoming webhook
 * (Block Kit message) or a generic webhook (JSON signed like our inbound generic webhook,
 * `X-Undercurrent-Signature: t=…,v1=…`). BullMQ retries a failure with exponential backoff; every
 * attempt is recorded on the alert (`deliveries[i]`), and the last failed one marks it failed, so
 * a notification that never arrives is visible, not silently dropped. URLs and secrets are never
 * logged or recorded: errors name the status or the network error only.
 */
import type { Job } from "bullmq";
import type { AlertRulesRepo } from "../../shared/db/alert-rules-repo";
import { alertView, type AlertsRepo } from "../../shared/db/alerts-repo";
import { dashboardLinkOf, slackMessageOf, webhookBodyOf } from "../../shared/domain/alerts/notifications";
import { signGeneric } from "../../shared/domain/webhooks/generic";
import type { WorkerDeps } from "../deps";

export interface DeliverNotificationsDeps extends WorkerDeps {
  rules: AlertRulesRepo;
  alerts: AlertsRepo;
}

export interface DeliveryJob {
  alertId: string;
  index: number;
}

/** What went wrong, without the URL (Slack's carries its secret) or anything from the body. */
function describeFailure(err: unknown): string {
  const e = err as Error & { cause?: { code?: string } };
  if (e.name === "TimeoutError" || e.name === "AbortError") return "timed out";
  if (e.cause?.code) return `network error ${e.cause.code}`;
  if (e.message.startsWith("HTTP ")) return e.message;
  return "request failed";
}

export function makeDeliverNotifications(deps: DeliverNotificationsDeps) {
  return async function deliverNotification(job: Job<DeliveryJob>): Promise<{ state: string }> {
    const { alertId, index } = job.data;
    const alert = await deps.alerts.byId(alertId);
    const delivery = alert?.deliveries[index];
    if (!alert || !delivery) return { state: "gone" };
    if (delivery.state === "delivered" || delivery.state === "snoozed") return { state: delivery.state };
    const rule = await deps.rules.col.findOne({ _id: alert.ruleId });
    const channel = rule ? deps.rules.openChannels(rule)[index] : undefined;
    if (!channel) {
      await deps.alerts.setDelivery(alertId, index, { ...delivery, state: "failed", lastError: "the rule or its channel was removed" });
      return { state: "failed" };
    }
    const view = alertView(alert);
    const link = dashboardLinkOf(deps.config.PUBLIC_URL ?? null, view);
    const body = JSON.stringify(channel.type === "slack" ? slackMessageOf(view, link) : webhookBodyOf(view, link));
    const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "Undercurrent-Alerts" };
    if (channel.type === "webhook" && channel.secret) {
      headers["x-undercurrent-signature"] = signGeneric(channel.secret, body, deps.now().getTime() / 1000);
      headers["x-undercurrent-event"] = "alert.opened";
    }
    const attempts = job.attemptsMade + 1;
    try {
      const res = await fetch(channel.url, {
        method: "POST",
        headers,
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(deps.config.NOTIFY_TIMEOUT_MS),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    } catch (err) {
      const lastError = describeFailure(err);
      const final = attempts >= (job.opts.attempts ?? 1);
      await deps.alerts.setDelivery(alertId, index, { ...delivery, state: final ? "failed" : "retrying", attempts, lastError });
      deps.log.warn({ alert: alertId, channel: channel.type, target: channel.target, attempts, err: lastError, final }, "notification failed");
      throw new Error(lastError, { cause: err });
    }
    await deps.alerts.setDelivery(alertId, index, { ...delivery, state: "delivered", attempts, deliveredAt: deps.now() });
    deps.log.info({ alert: alertId, channel: channel.type, target: channel.target, attempts }, "notification delivered");
    return { state: "delivered" };
  };
}
