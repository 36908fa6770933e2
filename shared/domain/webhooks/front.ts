/**
 * Front application webhooks (events on shared inboxes).
 * Signature: https://dev.frontapp.com/docs/application-webhooks — `x-front-signature` = base64
 *            HMAC-SHA256 of `x-front-request-timestamp` + ":" + raw body, keyed by the app's
 *            signing key; the timestamp is in milliseconds.
 * Handshake: saving the webhook sends a signed `{ "type": "sync" }` with an `x-front-challenge`
 *            header; the endpoint must answer 200 with the challenge echoed in the body.
 * Payloads:  https://dev.frontapp.com/reference/events (event types, conversation, message types).
 */
import { candidateTicket, lookup } from "./candidate";
import { arr, field, htmlToText, instant, isObject, obj, requireId, requireInstant, requireObject, str } from "./payload";
import { OK, checkFreshness, fail, headerValue, hmac, safeEqual, timestampedSignature } from "./signature";
import { WebhookPayloadError, type Channel, type Status, type WebhookAdapter, type WebhookOutcome } from "./types";

const SIGNATURE = "x-front-signature";
const TIMESTAMP = "x-front-request-timestamp";
const CHALLENGE = "x-front-challenge";

type FrontKind = "inbound" | "outbound" | "archive" | "reopen" | "update" | "ignore";

/**
 * Event type → what it means for the ticket. Front's events API names (`inbound`, `archive`) and
 * the application-webhook names (`inbound_received`, `conversation_archived`) are both accepted.
 */
export const FRONT_EVENTS: Readonly<Record<string, FrontKind>> = {
  inbound: "inbound",
  inbound_received: "inbound",
  outbound: "outbound",
  outbound_sent: "outbound",
  out_reply: "outbound",
  outbound_reply: "outbound",
  archive: "archive",
  conversation_archived: "archive",
  reopen: "reopen",
  conversation_reopened: "reopen",
  reminder: "reopen",
  restore: "reopen",
  conversation_restored: "reopen",
  assign: "update",
  unassign: "update",
  assignee_changed: "update",
  tag: "update",
  untag: "update",
  tag_added: "update",
  tag_removed: "update",
  move: "update",
  conversation_moved: "update",
  trash: "ignore",
  conversation_deleted: "ignore",
  comment: "ignore",
  new_comment_added: "ignore",
  mention: "ignore",
  sync: "ignore",
};

/** Message `type` → channel. */
export const FRONT_CHANNELS: Readonly<Record<string, Channel>> = {
  email: "email",
  sms: "sms",
  whatsapp: "messaging",
  smooch: "messaging",
  intercom: "chat",
  front_chat: "chat",
  call: "phone",
  "phone-call": "phone",
  tweet: "social",
  tweet_dm: "social",
  facebook: "social",
  instagram: "social",
  googleplay: "social",
  custom: "other",
};

/** Conversation `status` → canonical status (`null`: deleted, not a ticket any more). */
export const FRONT_STATUSES: Readonly<Record<string, Status | null>> = {
  open: "open",
  assigned: "open",
  unassigned: "open",
  snoozed: "pending",
  waiting: "pending",
  archived: "closed",
  resolved: "closed",
  deleted: null,
  trashed: null,
};

export const front: WebhookAdapter = {
  provider: "front",

  verify(req, secret) {
    const signed = timestampedSignature(req, secret, SIGNATURE, TIMESTAMP);
    if (!signed.ok) return signed;
    const { signature, timestamp } = signed;
    if (!/^\d+$/.test(timestamp)) return fail(`${TIMESTAMP} must be epoch milliseconds`);
    const n = Number(timestamp);
    // Front documents milliseconds; a seconds value is accepted rather than rejected as stale.
    const stale = checkFreshness(n > 1e11 ? n : n * 1000, req.nowMs);
    if (stale) return stale;
    const expected = hmac("sha256", secret, [`${timestamp}:`, req.rawBody], "base64");
    return safeEqual(signature, expected) ? OK : fail("signature does not match");
  },

  map(payload, req): WebhookOutcome {
    const challenge = headerValue(req.headers, CHALLENGE);
    if (challenge) {
      return { kind: "reply", status: 200, body: { challenge }, headers: { "content-type": "application/json" } };
    }
    const root = requireObject("front", payload, "(body)");
    // Application webhooks may wrap the event object as `{ type, authorization, payload }`.
    const wrapped = isObject(root.payload);
    const event = wrapped ? (root.payload as Record<string, unknown>) : root;
    const prefix = wrapped ? "payload." : "";
    const type = str(root.type) ?? str(event.type);
    const kind = lookup(FRONT_EVENTS, type, undefined);
    if (!kind || kind === "ignore") return { kind: "ignored", reason: `front event ${type ?? "(none)"} is not mapped` };

    const convo = requireObject("front", event.conversation, `${prefix}conversation`);
    const externalId = requireId("front", convo.id, `${prefix}conversation.id`);
    const message = str(field(event, "target", "_meta", "type")) === "message" ? obj(field(event, "target", "data")) : undefined;
    const createdAt = requireInstant("front", convo.created_at ?? message?.created_at, `${prefix}conversation.created_at`);
    const updatedAt = instant(event.emitted_at);

    let status = lookup(FRONT_STATUSES, convo.status_category ?? convo.status, undefined);
    if (kind === "archive") status = "closed";
    if (kind === "reopen" && status !== null) status = "open";
    if (status === null) return { kind: "ignored", reason: `front conversation ${externalId} is deleted` };
    if (status === undefined) {
      throw new WebhookPayloadError("front", `unknown status ${str(convo.status) ?? "(none)"}`, `${prefix}conversation.status`);
    }
    const messageType = message?.type ?? field(convo, "last_message", "type");
    const assignee = obj(convo.assignee);
    return {
      kind: "tickets",
      tickets: [
        candidateTicket({
          source: "front",
          externalId,
          channel: lookup(FRONT_CHANNELS, messageType, "other"),
          subject: str(convo.subject),
          // Only an inbound event carries a customer message (the newest, not necessarily the first).
          body: kind === "inbound" && message ? messageText(message) : undefined,
          status,
          tags: arr(convo.tags).map((t) => field(t, "name")),
          assignee: str(assignee?.id) ?? str(assignee?.email),
          customer: { id: recipientId(obj(convo.recipient)) },
          createdAt,
          resolvedAt: kind === "archive" ? updatedAt : undefined,
          updatedAt,
          // Event-by-event: no reply, message or reopen totals in the payload (see README, "Front").
        }),
      ],
    };
  },
};

function messageText(message: Record<string, unknown>): string | undefined {
  if (typeof message.text === "string" && message.text.trim()) return message.text.trim();
  return typeof message.body === "string" ? htmlToText(message.body) || undefined : undefined;
}

/** The contact id from the recipient's related-contact link (`.../contacts/crd_123`), else its handle. */
function recipientId(recipient: Record<string, unknown> | undefined): string | undefined {
  const link = str(field(recipient, "_links", "related", "contact"));
  const fromLink = link?.match(/\/contacts\/([^/?#]+)/)?.[1];
  return fromLink ?? str(recipient?.handle);
}
