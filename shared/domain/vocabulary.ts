/**
 * The closed lists of values the models and the query language share. No dependencies, so the
 * dashboard's bundle can use them (the query parser runs in the browser) without zod.
 */
export const TICKET_SOURCES = ["zendesk", "freshdesk", "intercom", "helpscout", "front", "api", "csv"] as const;
export const CHANNELS = ["email", "chat", "phone", "social", "web", "sms", "messaging", "other"] as const;
export const TICKET_STATUSES = ["new", "open", "pending", "solved", "closed"] as const;
export const PLATFORMS = [
  "twitter", "reddit", "facebook", "instagram", "review-site", "app-store", "forum", "news", "other",
] as const;
export const SURVEY_KINDS = ["nps", "csat", "ces"] as const;
export const ITEM_KINDS = ["ticket", "mention", "survey"] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];
/** Statuses after which a ticket counts as resolved (its `resolvedAt` is then required). */
export const RESOLVED_STATUSES: ReadonlySet<string> = new Set(["solved", "closed"]);
