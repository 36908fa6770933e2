/**
 * Freshdesk automation-rule webhooks ("Trigger webhook" action). Freshdesk signs nothing, so the
 * workspace's token travels in a header the rule sets, or as HTTP Basic credentials.
 * The body is whatever JSON the rule's template renders from placeholders (`{{ticket.id}}`,
 * `{{ticket.status}}`, `{{ticket.source}}`, ...); README.md gives the template we expect and the
 * legacy `{ "freshdesk_webhook": { "ticket_id": ... } }` shape is accepted too.
 * Codes: https://developers.freshdesk.com/api/#tickets (source, status, priority).
 */
import { candidateTicket, lookup } from "./candidate";
import { arr, attributes, count, htmlToText, instant, isObject, requireId, requireInstant, requireObject, str, type Json } from "./payload";
import { OK, fail, headerValue, missingSecret, safeEqual } from "./signature";
import { WebhookPayloadError, type Channel, type Status, type WebhookAdapter, type WebhookOutcome } from "./types";

const TOKEN = "x-undercurrent-token";

/** `{{ticket.source}}`, as the API's numeric code or the name the placeholder renders. */
export const FRESHDESK_SOURCES: Readonly<Record<string, Channel>> = {
  "1": "email",
  email: "email",
  "2": "web",
  portal: "web",
  "3": "phone",
  phone: "phone",
  "4": "web",
  forum: "web",
  "5": "social",
  twitter: "social",
  "6": "social",
  facebook: "social",
  "7": "chat",
  chat: "chat",
  "8": "messaging",
  mobihelp: "messaging",
  "9": "web",
  "feedback widget": "web",
  feedback_widget: "web",
  "10": "email",
  "outbound email": "email",
  outbound_email: "email",
  "11": "other",
  ecommerce: "other",
  "12": "chat",
  bot: "chat",
  "13": "messaging",
  whatsapp: "messaging",
};

/** `{{ticket.status}}`: 2 open, 3 pending, 4 resolved, 5 closed; custom statuses are waiting states. */
export const FRESHDESK_STATUSES: Readonly<Record<string, Status>> = {
  "2": "open",
  open: "open",
  "3": "pending",
  pending: "pending",
  "4": "solved",
  resolved: "solved",
  "5": "closed",
  closed: "closed",
  "waiting on customer": "pending",
  "waiting on third party": "pending",
};

/** `{{ticket.priority}}`: 1 low, 2 medium, 3 high, 4 urgent. */
export const FRESHDESK_PRIORITIES: Readonly<Record<string, string>> = {
  "1": "low",
  low: "low",
  "2": "medium",
  medium: "medium",
  "3": "high",
  high: "high",
  "4": "urgent",
  urgent: "urgent",
};

export const freshdesk: WebhookAdapter = {
  provider: "freshdesk",

  verify(req, secret) {
    const noSecret = missingSecret(secret);
    if (noSecret) return noSecret;
    const candidates = credentialCandidates(req.headers);
    if (candidates.length === 0) {
      return fail(`missing credentials: send the token in ${TOKEN}, as Authorization: Bearer, or as Basic auth`);
    }
    // Compare every candidate (no early exit) so the time taken does not depend on which matched.
    let matched = false;
    for (const candidate of candidates) matched = safeEqual(candidate, secret) || matched;
    return matched ? OK : fail("token does not match");
  },

  map(payload): WebhookOutcome {
    const root = requireObject("freshdesk", payload, "(body)");
    const { ticket, prefix } = ticketObject(root);
    const at = (key: string) => `${prefix}${key}`;
    const externalId = requireId("freshdesk", ticket.id, at("id"));
    const rawStatus = str(ticket.status);
    if (!rawStatus) throw new WebhookPayloadError("freshdesk", "is missing", at("status"));
    const createdAt = requireInstant("freshdesk", ticket.created_at, at("created_at"));
    const tags = Array.isArray(ticket.tags) ? ticket.tags : (str(ticket.tags)?.split(",") ?? []);
    return {
      kind: "tickets",
      tickets: [
        candidateTicket({
          source: "freshdesk",
          externalId,
          channel: lookup(FRESHDESK_SOURCES, ticket.source, "other"),
          subject: str(ticket.subject),
          body: typeof ticket.description === "string" ? htmlToText(ticket.description) : undefined,
          // Custom statuses (codes 6+) are waiting states in Freshdesk's own reports.
          status: lookup(FRESHDESK_STATUSES, rawStatus, "pending"),
          priority: lookup(FRESHDESK_PRIORITIES, ticket.priority, str(ticket.priority)?.toLowerCase()),
          tags: arr(tags),
          team: str(ticket.group ?? ticket.group_name),
          assignee: str(ticket.agent ?? ticket.agent_email),
          customer: {
            id: str(ticket.requester ?? ticket.requester_id ?? ticket.contact_email ?? ticket.requester_email),
            segment: str(ticket.segment),
            plan: str(ticket.plan),
            region: str(ticket.region),
            attributes: attributes({ company: str(ticket.company ?? ticket.company_name) }),
          },
          createdAt,
          firstResponseAt: instant(ticket.first_responded_at),
          resolvedAt: instant(ticket.resolved_at),
          updatedAt: instant(ticket.updated_at),
          // Freshdesk placeholders have no reply counters; a template may add them (see README).
          agentReplies: count(ticket.agent_replies),
          customerMessages: count(ticket.customer_replies),
          reopens: count(ticket.reopens),
        }),
      ],
    };
  },
};

/** `{ ticket: {...} }` (our template), or the legacy `freshdesk_webhook` / flat `ticket_*` keys. */
function ticketObject(root: Json): { ticket: Json; prefix: string } {
  if (isObject(root.ticket)) return { ticket: root.ticket, prefix: "ticket." };
  const legacy = isObject(root.freshdesk_webhook) ? root.freshdesk_webhook : root;
  const prefix = legacy === root ? "ticket_" : "freshdesk_webhook.ticket_";
  const ticket: Json = {};
  for (const [k, v] of Object.entries(legacy)) ticket[k.startsWith("ticket_") ? k.slice(7) : k] = v;
  return { ticket, prefix };
}

/** Every value that could carry the token: our header, a Bearer token, Basic user and password. */
function credentialCandidates(headers: Record<string, string | string[] | undefined>): string[] {
  const out: string[] = [];
  const token = headerValue(headers, TOKEN);
  if (token) out.push(token);
  const auth = headerValue(headers, "authorization");
  const match = auth?.match(/^(\S+)\s+(\S.*)$/);
  const scheme = match?.[1]?.toLowerCase();
  const value = match?.[2]?.trim();
  if (scheme === "bearer" && value) out.push(value);
  if (scheme === "basic" && value) {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const user = colon < 0 ? decoded : decoded.slice(0, colon);
    const pass = colon < 0 ? "" : decoded.slice(colon + 1);
    if (user) out.push(user);
    if (pass) out.push(pass);
  }
  return out;
}
