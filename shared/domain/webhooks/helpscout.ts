/**
 * Help Scout webhooks for conversation events (`convo.*`, named in `X-HelpScout-Event`).
 * Signature: `X-HelpScout-Signature` = base64 HMAC-SHA1 of the raw body, keyed by the webhook secret.
 * Payloads:  https://developer.helpscout.com/webhooks/ (the body is a Conversation object;
 *            objects/conversation, objects/source, threads).
 */
import { candidateTicket, lookup } from "./candidate";
import { arr, field, htmlToText, instant, isObject, obj, requireId, requireInstant, requireObject, str } from "./payload";
import { OK, fail, headerValue, hmac, missingSecret, safeEqual } from "./signature";
import { WebhookPayloadError, type Channel, type Status, type WebhookAdapter, type WebhookOutcome } from "./types";

const SIGNATURE = "x-helpscout-signature";
const EVENT = "x-helpscout-event";

/** Conversation events mapped to a ticket version; every other event is acknowledged and ignored. */
export const HELPSCOUT_EVENTS: ReadonlySet<string> = new Set([
  "convo.created",
  "convo.assigned",
  "convo.moved",
  "convo.status",
  "convo.tags",
  "convo.custom-fields",
  "convo.customer.reply.created",
  "convo.agent.reply.created",
  "convo.note.created",
  "convo.merged",
]);

/** Conversation `type` → channel (chat and phone win; email is refined by `source.type`). */
export const HELPSCOUT_TYPES: Readonly<Record<string, Channel>> = { email: "email", chat: "chat", phone: "phone" };
/** `source.type` of an email-type conversation → channel: forms and Beacon are the web. */
export const HELPSCOUT_EMAIL_SOURCES: Readonly<Record<string, Channel>> = {
  email: "email",
  emailfwd: "email",
  web: "web",
  form: "web",
  beacon: "web",
  "beacon-v2": "web",
  chat: "chat",
  api: "email",
  notification: "email",
};

/** `status` → canonical status (`spam` is ignored, not a ticket). */
export const HELPSCOUT_STATUSES: Readonly<Record<string, Status | null>> = {
  active: "open",
  open: "open",
  pending: "pending",
  closed: "closed",
  spam: null,
};

export function helpscoutChannel(type: unknown, sourceType: unknown): Channel {
  const byType = lookup(HELPSCOUT_TYPES, type, "other" as Channel);
  if (byType !== "email") return byType;
  return lookup(HELPSCOUT_EMAIL_SOURCES, sourceType, "email");
}

export const helpscout: WebhookAdapter = {
  provider: "helpscout",

  verify(req, secret) {
    const noSecret = missingSecret(secret);
    if (noSecret) return noSecret;
    const signature = headerValue(req.headers, SIGNATURE);
    if (!signature) return fail(`missing ${SIGNATURE} header`);
    const expected = hmac("sha1", secret, [req.rawBody], "base64");
    return safeEqual(signature, expected) ? OK : fail("signature does not match");
  },

  map(payload, req): WebhookOutcome {
    const event = headerValue(req.headers, EVENT);
    if (!event || !HELPSCOUT_EVENTS.has(event)) {
      return { kind: "ignored", reason: `help scout event ${event ?? "(no X-HelpScout-Event header)"} is not mapped` };
    }
    const convo = requireObject("helpscout", payload, "(body)");
    const externalId = requireId("helpscout", convo.id, "id");
    const rawStatus = str(convo.status);
    const status = lookup(HELPSCOUT_STATUSES, rawStatus, undefined);
    if (status === null) return { kind: "ignored", reason: `help scout conversation ${externalId} is spam` };
    if (status === undefined) {
      throw new WebhookPayloadError("helpscout", rawStatus ? `unknown status ${rawStatus}` : "is missing", "status");
    }
    const createdAt = requireInstant("helpscout", convo.createdAt, "createdAt");

    const threads = (isObject(convo._embedded) ? arr(convo._embedded.threads) : arr(convo.threads)).filter(isObject);
    const tally = tallyThreads(threads);
    const updatedAt =
      instant(convo.userUpdatedAt) ?? instant(convo.userModifiedAt) ?? instant(convo.modifiedAt) ?? tally.latestAt;
    const customer = obj(convo.primaryCustomer) ?? obj(convo.customer);
    const owner = obj(convo.assignee) ?? obj(convo.owner);
    const mailbox = obj(convo.mailbox);

    return {
      kind: "tickets",
      tickets: [
        candidateTicket({
          source: "helpscout",
          externalId,
          channel: helpscoutChannel(convo.type, field(convo, "source", "type")),
          subject: str(convo.subject),
          body: tally.firstCustomerText,
          status: status === "open" && event === "convo.created" && tally.agentReplies === 0 ? "new" : status,
          tags: arr(convo.tags).map((t) => (isObject(t) ? (t.tag ?? t.name) : t)),
          team: str(mailbox?.name) ?? str(convo.mailboxId) ?? str(mailbox?.id),
          assignee: str(owner?.id),
          customer: customer ? { id: str(customer.id) } : undefined,
          createdAt,
          firstResponseAt: tally.firstAgentReplyAt,
          resolvedAt: instant(convo.closedAt),
          updatedAt,
          // Threads are counted only when the payload carries them; Help Scout sends no reopen count.
          agentReplies: threads.length > 0 ? tally.agentReplies : undefined,
          customerMessages: threads.length > 0 ? tally.customerMessages : undefined,
        }),
      ],
    };
  },
};

interface Tally {
  agentReplies: number;
  customerMessages: number;
  firstAgentReplyAt?: string;
  firstCustomerText?: string;
  latestAt?: string;
}

/**
 * Customer threads (`type: customer`, or chat/phone threads created by a customer) are customer
 * messages; `type: message` threads, and chat/phone threads created by a user, are agent replies.
 * Notes, line items and drafts count as neither.
 */
function tallyThreads(threads: Record<string, unknown>[]): Tally {
  const t: Tally = { agentReplies: 0, customerMessages: 0 };
  let first: { at?: string; text?: string } | undefined;
  for (const th of threads) {
    const type = str(th.type);
    const by = str(field(th, "createdBy", "type")) ?? str(field(th, "author", "type"));
    const at = instant(th.createdAt);
    if (at && (!t.latestAt || at > t.latestAt)) t.latestAt = at;
    if (str(th.state) === "draft") continue;
    const fromCustomer = type === "customer" || ((type === "chat" || type === "phone") && by === "customer");
    const fromAgent = type === "message" || ((type === "chat" || type === "phone") && by === "user");
    if (fromCustomer) {
      t.customerMessages++;
      // Help Scout lists threads newest first: the earliest customer thread is the opening message.
      if (!first || (at && (!first.at || at < first.at))) {
        first = { at, text: typeof th.body === "string" ? htmlToText(th.body) || undefined : undefined };
      }
    } else if (fromAgent) {
      t.agentReplies++;
      if (at && (!t.firstAgentReplyAt || at < t.firstAgentReplyAt)) t.firstAgentReplyAt = at;
    }
  }
  t.firstCustomerText = first?.text;
  return t;
}
