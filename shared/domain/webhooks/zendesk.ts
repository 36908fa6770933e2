/**
 * Zendesk webhooks subscribed to ticket events (`zen:event-type:ticket.*`).
 * Signature: https://developer.zendesk.com/documentation/webhooks/verifying/
 * Payloads:  https://developer.zendesk.com/api-reference/webhooks/event-types/ticket-events/
 */
import { candidateTicket, lookup } from "./candidate";
import { arr, attributes, field, instant, requireId, requireInstant, requireObject, str } from "./payload";
import { OK, checkFreshness, fail, hmac, safeEqual, timestampedSignature } from "./signature";
import { WebhookPayloadError, type Channel, type Status, type WebhookAdapter, type WebhookOutcome } from "./types";

const SIGNATURE = "x-zendesk-webhook-signature";
const TIMESTAMP = "x-zendesk-webhook-signature-timestamp";
/** Zendesk documents the signature timestamp as ISO 8601 (e.g. `2024-04-17T17:18:10Z`). */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/i;

/** `detail.via.channel` → canonical channel. Unknown channels map to `other`. */
export const ZENDESK_CHANNELS: Readonly<Record<string, Channel>> = {
  email: "email",
  web: "web",
  web_form: "web",
  web_widget: "web",
  help_center: "web",
  mobile: "web",
  chat: "chat",
  chat_transcript: "chat",
  native_messaging: "messaging",
  messaging: "messaging",
  mobile_sdk: "messaging",
  sdk: "messaging",
  whatsapp: "messaging",
  line: "messaging",
  wechat: "messaging",
  telegram: "messaging",
  viber: "messaging",
  kakaotalk: "messaging",
  apple_business_chat: "messaging",
  google_rcs: "messaging",
  voice: "phone",
  phone: "phone",
  phone_call_inbound: "phone",
  phone_call_outbound: "phone",
  voicemail: "phone",
  sms: "sms",
  text: "sms",
  twitter: "social",
  twitter_dm: "social",
  twitter_favorite: "social",
  facebook: "social",
  facebook_post: "social",
  facebook_message: "social",
  instagram: "social",
  instagram_dm: "social",
  api: "other",
  web_service: "other",
  rule: "other",
  system: "other",
  any_channel: "other",
  side_conversation: "other",
  closed_ticket: "other",
};

/** Ticket status → canonical status; `null` marks statuses that mean "not a ticket any more". */
export const ZENDESK_STATUSES: Readonly<Record<string, Status | null>> = {
  new: "new",
  open: "open",
  pending: "pending",
  hold: "pending",
  solved: "solved",
  closed: "closed",
  archived: "closed",
  deleted: null,
  scrubbed: null,
};

/** Ticket events that are about removing a ticket, not changing it: acknowledged and ignored. */
const IGNORED_TICKET_EVENTS = new Set([
  "zen:event-type:ticket.soft_deleted",
  "zen:event-type:ticket.permanently_deleted",
  "zen:event-type:ticket.marked_as_spam",
]);

export const zendesk: WebhookAdapter = {
  provider: "zendesk",

  verify(req, secret) {
    const signed = timestampedSignature(req, secret, SIGNATURE, TIMESTAMP);
    if (!signed.ok) return signed;
    const { signature, timestamp } = signed;
    if (!ISO_8601.test(timestamp)) return fail(`${TIMESTAMP} must be an ISO 8601 date-time`);
    const stale = checkFreshness(Date.parse(timestamp), req.nowMs);
    if (stale) return stale;
    const expected = hmac("sha256", secret, [timestamp, req.rawBody], "base64");
    return safeEqual(signature, expected) ? OK : fail("signature does not match");
  },

  map(payload): WebhookOutcome {
    const root = requireObject("zendesk", payload, "(body)");
    const type = str(root.type);
    if (!type || !type.startsWith("zen:event-type:ticket.")) {
      return { kind: "ignored", reason: `zendesk event type ${type ?? "(none)"} is not a ticket event` };
    }
    if (IGNORED_TICKET_EVENTS.has(type)) return { kind: "ignored", reason: `zendesk event ${type} is ignored` };

    const detail = requireObject("zendesk", root.detail, "detail");
    const externalId = requireId("zendesk", detail.id, "detail.id");
    const rawStatus = str(detail.status) ?? str(field(root, "event", "current"));
    if (!rawStatus) throw new WebhookPayloadError("zendesk", "is missing", "detail.status");
    const status = lookup(ZENDESK_STATUSES, rawStatus, undefined);
    if (status === null) return { kind: "ignored", reason: `zendesk ticket ${externalId} is ${rawStatus.toLowerCase()}` };
    if (status === undefined) throw new WebhookPayloadError("zendesk", `unknown status ${rawStatus}`, "detail.status");

    const createdAt = requireInstant("zendesk", detail.created_at, "detail.created_at");
    const updatedAt = instant(root.time) ?? instant(detail.updated_at);
    return {
      kind: "tickets",
      tickets: [
        candidateTicket({
          source: "zendesk",
          externalId,
          channel: lookup(ZENDESK_CHANNELS, field(detail, "via", "channel"), "other"),
          subject: str(detail.subject),
          // Zendesk's ticket description is the text of the first comment.
          body: typeof detail.description === "string" ? detail.description.trim() : undefined,
          status,
          priority: str(detail.priority)?.toLowerCase(),
          tags: arr(detail.tags),
          team: zendeskId(detail.group_id),
          assignee: zendeskId(detail.assignee_id),
          customer: {
            id: zendeskId(detail.requester_id),
            attributes: attributes({ organizationId: zendeskId(detail.organization_id) }),
          },
          createdAt,
          updatedAt,
          // Event payloads carry no reply, message or reopen counters: see README ("Zendesk").
        }),
      ],
    };
  },
};


/** Zendesk sends ids as strings and uses null or "0" for "none". */
function zendeskId(v: unknown): string | undefined {
  const id = str(v);
  return id === "0" ? undefined : id;
}
