/**
 * Intercom webhook notifications for conversation topics.
 * Signature: `X-Hub-Signature: sha1=<hex HMAC-SHA1 of the raw body>`, keyed by the app's client secret.
 * Payloads:  https://developers.intercom.com/docs/references/webhooks/webhook-models
 *            (notification_event whose data.item is a Conversation, with `statistics`).
 */
import { candidateTicket, lookup } from "./candidate";
import { arr, count, field, htmlToText, instant, isObject, obj, requireId, requireInstant, requireObject, str } from "./payload";
import { OK, fail, headerValue, hmac, missingSecret, safeEqual } from "./signature";
import type { Channel, Status, WebhookAdapter, WebhookOutcome } from "./types";

const SIGNATURE = "x-hub-signature";

/** `source.type` of the conversation → canonical channel. */
export const INTERCOM_CHANNELS: Readonly<Record<string, Channel>> = {
  conversation: "chat", // the Messenger
  email: "email",
  phone_call: "phone",
  phone_switch: "phone",
  sms: "sms",
  whatsapp: "messaging",
  facebook: "social",
  instagram: "social",
  twitter: "social",
  push: "other",
};

/** `state` → canonical status. Intercom's "closed" can be reopened; it counts as resolved. */
export const INTERCOM_STATES: Readonly<Record<string, Status>> = {
  open: "open",
  snoozed: "pending",
  closed: "closed",
};

/** Author types that are the customer side of a conversation. */
const CUSTOMER_AUTHORS = new Set(["user", "lead", "contact"]);

export const intercom: WebhookAdapter = {
  provider: "intercom",

  verify(req, secret) {
    const noSecret = missingSecret(secret);
    if (noSecret) return noSecret;
    const header = headerValue(req.headers, SIGNATURE);
    if (!header) return fail(`missing ${SIGNATURE} header`);
    if (!header.startsWith("sha1=")) return fail(`${SIGNATURE} must start with sha1=`);
    const expected = hmac("sha1", secret, [req.rawBody], "hex");
    return safeEqual(header.slice(5).toLowerCase(), expected) ? OK : fail("signature does not match");
  },

  map(payload): WebhookOutcome {
    const root = requireObject("intercom", payload, "(body)");
    const topic = str(root.topic);
    if (topic === "ping") return { kind: "reply", status: 200, body: { ok: true } };
    if (!topic || !(topic.startsWith("conversation.") || topic.startsWith("conversation_part.")) || topic === "conversation.deleted") {
      return { kind: "ignored", reason: `intercom topic ${topic ?? "(none)"} is not a conversation change` };
    }
    const item = requireObject("intercom", field(root, "data", "item"), "data.item");
    const externalId = requireId("intercom", item.id, "data.item.id");
    const createdAt = requireInstant("intercom", item.created_at, "data.item.created_at");
    const updatedAt = instant(root.created_at) ?? instant(item.updated_at);
    const stats = obj(item.statistics) ?? {};
    const source = obj(item.source) ?? {};
    const sourceAuthor = str(field(source, "author", "type"));

    const state = str(item.state) ?? (item.open === false ? "closed" : "open");
    let status = lookup(INTERCOM_STATES, state, "open" as Status);
    const firstResponseAt = instant(stats.first_admin_reply_at);
    if (status === "open" && !firstResponseAt && topic === "conversation.user.created") status = "new";

    const replies = countParts(item, sourceAuthor);
    const adminRepliedAtLeastOnce = firstResponseAt ? 1 : 0;
    return {
      kind: "tickets",
      tickets: [
        candidateTicket({
          source: "intercom",
          externalId,
          channel: lookup(INTERCOM_CHANNELS, source.type, "other"),
          subject: textOf(source.subject) ?? str(item.title),
          // The source part is the conversation's first message; only a customer's counts as the body.
          body: sourceAuthor && CUSTOMER_AUTHORS.has(sourceAuthor) ? textOf(source.body) : undefined,
          status,
          priority: item.priority === "priority" ? "high" : item.priority === "not_priority" ? "normal" : undefined,
          tags: arr(field(item, "tags", "tags")).map((t) => field(t, "name")),
          team: str(item.team_assignee_id),
          assignee: str(item.admin_assignee_id) ?? str(field(item, "assignee", "id")),
          customer: { id: customerId(item) },
          createdAt,
          firstResponseAt,
          resolvedAt: instant(stats.last_close_at) ?? instant(stats.first_close_at),
          updatedAt,
          agentReplies: replies ? Math.max(replies.admin, adminRepliedAtLeastOnce) : adminRepliedAtLeastOnce || undefined,
          customerMessages: replies?.customer,
          reopens: count(stats.count_reopens),
        }),
      ],
    };
  },
};

function textOf(v: unknown): string | undefined {
  return typeof v === "string" ? htmlToText(v) || undefined : undefined;
}

/** Contacts are `{ contacts: [...] }` since API 2.x, an array in 2.0, `user` in 1.x. */
function customerId(item: Record<string, unknown>): string | undefined {
  const contacts = isObject(item.contacts) ? arr(item.contacts.contacts) : arr(item.contacts);
  const first = contacts[0];
  return str(field(first, "external_id")) ?? str(field(first, "id")) ?? str(field(item, "user", "id"));
}

/**
 * Counts admin and customer comments when the payload lists every part (`total_count` equals the
 * list length); webhook payloads often list only the newest parts, and then the counts are unknown.
 */
function countParts(item: Record<string, unknown>, sourceAuthor: string | undefined): { admin: number; customer: number } | undefined {
  const list = obj(item.conversation_parts);
  if (!list) return undefined;
  const parts = arr(list.conversation_parts);
  const total = count(list.total_count);
  if (total === undefined || parts.length < total) return undefined;
  let admin = 0;
  let customer = sourceAuthor && CUSTOMER_AUTHORS.has(sourceAuthor) ? 1 : 0;
  for (const part of parts) {
    if (str(field(part, "part_type")) !== "comment") continue;
    const author = str(field(part, "author", "type"));
    if (author === "admin") admin++;
    else if (author && CUSTOMER_AUTHORS.has(author)) customer++;
  }
  return { admin, customer };
}
