/**
 * Canonical models (the data model of docs/metrics.md). Everything that enters — API
 * bodies, webhook adapters, CSV imports — is parsed with these schemas, so a rule written here
 * holds for every way in. Pure: no I/O, no clock.
 */
import { z } from "zod";

import { CHANNELS, ITEM_KINDS, PLATFORMS, RESOLVED_STATUSES, SURVEY_KINDS, TICKET_SOURCES, TICKET_STATUSES, type ItemKind } from "./vocabulary";

export { CHANNELS, ITEM_KINDS, PLATFORMS, RESOLVED_STATUSES, SURVEY_KINDS, TICKET_SOURCES, TICKET_STATUSES, type ItemKind };

/** An ISO 8601 instant with an explicit offset or `Z`; parsed into a Date. */
export const instant = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 date-time with a timezone, e.g. 2026-03-01T09:30:00Z" })
  .transform((s) => new Date(s));

/**
 * A string that is valid Unicode: no lone UTF-16 surrogates, which JSON allows (`"\ud800"`) but
 * which cannot be stored as UTF-8 — MongoDB would get U+FFFD, so ids that differ only there
 * would collide and text would change silently. Rejected, with the field named.
 */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
export const wellFormed = (max: number) =>
  z.string().max(max).refine((s) => !LONE_SURROGATE.test(s), "contains a lone UTF-16 surrogate (not valid Unicode)");

/** Characters that never belong in an identifier: control characters (NUL included). */
const CONTROL = /\p{Cc}/u;
/** Characters that show nothing: format characters (zero-width space/joiners, BOM, soft hyphen). */
const INVISIBLE = /[\p{Cf}\s]/gu;

/** Names and identifiers: trimmed, valid Unicode, no control characters, not only invisible ones. */
export const shortText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !LONE_SURROGATE.test(s), "contains a lone UTF-16 surrogate (not valid Unicode)")
    .refine((s) => !CONTROL.test(s), "contains a control character (such as NUL)")
    .refine((s) => s.replace(INVISIBLE, "") !== "", "is made only of invisible characters");

/** A custom attribute name: also a MongoDB field name, so no `$` at the start and no `.`. */
export const attributeName = shortText(100)
  .refine((s) => !s.startsWith("$"), "must not start with $")
  .refine((s) => !s.includes("."), "must not contain a dot");

/** Custom attributes: name to a short string, a number or a boolean. */
export const attributesSchema = z.record(attributeName, z.union([wellFormed(500), z.number().finite(), z.boolean()]));

/**
 * The customer an item is about. `id` is the customer's external id (as sent to
 * POST /v1/customers): items carrying it are linked to that customer.
 */
export const customerSchema = z
  .object({
    id: shortText(200).optional(),
    segment: shortText(100).optional(),
    plan: shortText(100).optional(),
    region: shortText(100).optional(),
    attributes: attributesSchema.optional(),
  })
  .strict();
export type Customer = z.infer<typeof customerSchema>;

/** BCP 47-ish primary language code (`en`, `nl`, `pt-BR` is folded to `pt`). */
const languageCode = z
  .string()
  .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, "must be a language code such as en or pt-BR")
  .transform((s) => s.slice(0, s.search(/[-_]|$/)).toLowerCase());

/** Cumulative ticket counters; far above any real ticket, low enough that sums stay exact. */
const counter = z.number().int().min(0).max(10_000);
/** Longest handle time accepted: 30 days of work on one ticket. */
export const MAX_HANDLE_TIME_SEC = 30 * 86_400;

export const ticketInputSchema = z
  .object({
    source: z.enum(TICKET_SOURCES).default("api"),
    externalId: shortText(200),
    channel: z.enum(CHANNELS).default("other"),
    // Optional so that a partial update (a webhook event that does not carry the body or the
    // counters) keeps what the stored ticket knows instead of resetting it; see TICKET_KEPT_FIELDS.
    subject: wellFormed(2_000).optional(),
    body: wellFormed(100_000).optional(),
    status: z.enum(TICKET_STATUSES),
    priority: shortText(50).optional(),
    tags: z.array(shortText(100)).max(100).default([]),
    team: shortText(200).optional(),
    assignee: shortText(200).optional(),
    customer: customerSchema.default({}),
    language: languageCode.optional(),
    createdAt: instant,
    firstResponseAt: instant.optional(),
    resolvedAt: instant.optional(),
    updatedAt: instant.optional(),
    agentReplies: counter.optional(),
    customerMessages: counter.optional(),
    reopens: counter.optional(),
    handleTimeSec: z.number().min(0).max(MAX_HANDLE_TIME_SEC, `must be at most ${MAX_HANDLE_TIME_SEC} (30 days)`).optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    // zod runs refinements even when a field failed; only compare instants that parsed.
    if (!(t.createdAt instanceof Date)) return;
    const created = t.createdAt.getTime();
    const isDate = (d: unknown): d is Date => d instanceof Date;
    if (isDate(t.firstResponseAt) && t.firstResponseAt.getTime() < created) {
      ctx.addIssue({ code: "custom", path: ["firstResponseAt"], message: "is before createdAt" });
    }
    if (isDate(t.resolvedAt) && t.resolvedAt.getTime() < created) {
      ctx.addIssue({ code: "custom", path: ["resolvedAt"], message: "is before createdAt" });
    }
    if (isDate(t.updatedAt) && t.updatedAt.getTime() < created) {
      ctx.addIssue({ code: "custom", path: ["updatedAt"], message: "is before createdAt" });
    }
    if (RESOLVED_STATUSES.has(t.status) && !t.resolvedAt) {
      ctx.addIssue({ code: "custom", path: ["resolvedAt"], message: `is required when status is ${t.status}` });
    }
    if (!RESOLVED_STATUSES.has(t.status) && t.resolvedAt) {
      ctx.addIssue({
        code: "custom", path: ["resolvedAt"],
        message: `is set but status is ${t.status}: only solved or closed tickets have one (a reopened ticket drops it)`,
      });
    }
    if (isDate(t.firstResponseAt) && isDate(t.resolvedAt) && t.firstResponseAt.getTime() > t.resolvedAt.getTime()) {
      ctx.addIssue({ code: "custom", path: ["firstResponseAt"], message: "is after resolvedAt" });
    }
    if (isDate(t.updatedAt)) {
      for (const f of ["firstResponseAt", "resolvedAt"] as const) {
        const d = t[f];
        if (isDate(d) && t.updatedAt.getTime() < d.getTime()) {
          ctx.addIssue({ code: "custom", path: ["updatedAt"], message: `is before ${f}` });
        }
      }
    }
  })
  // A ticket without updatedAt is versioned by its latest known timestamp.
  .transform((t) => ({
    ...t,
    updatedAt:
      t.updatedAt ??
      new Date(Math.max(t.createdAt.getTime(), t.firstResponseAt?.getTime() ?? 0, t.resolvedAt?.getTime() ?? 0)),
  }));
export type TicketInput = z.infer<typeof ticketInputSchema>;

export const mentionInputSchema = z
  .object({
    platform: z.enum(PLATFORMS),
    externalId: shortText(200),
    text: wellFormed(20_000).min(1),
    author: z
      .object({ handle: shortText(200).optional(), followers: z.number().int().min(0).max(1e10).optional() })
      .strict()
      .default({}),
    url: z.url().max(2_000).optional(),
    postedAt: instant,
    language: languageCode.optional(),
    inReplyTo: shortText(200).optional(),
    repostOf: shortText(200).optional(),
    // A mention by a known customer (e.g. matched by a listening connector) links to them.
    customer: customerSchema.optional(),
  })
  .strict();
export type MentionInput = z.infer<typeof mentionInputSchema>;

/** Allowed score range per survey kind and scale (scale = the top of the range). */
export const SURVEY_SCALES: Record<(typeof SURVEY_KINDS)[number], Record<number, [number, number]>> = {
  nps: { 10: [0, 10] },
  csat: { 5: [1, 5], 10: [1, 10] },
  ces: { 7: [1, 7], 5: [1, 5] },
};
const DEFAULT_SCALE = { nps: 10, csat: 5, ces: 7 } as const;

export const surveyInputSchema = z
  .object({
    source: shortText(50).default("api"),
    externalId: shortText(200),
    kind: z.enum(SURVEY_KINDS),
    score: z.number().int(),
    scale: z.union([z.literal(5), z.literal(7), z.literal(10)]).optional(),
    comment: wellFormed(20_000).default(""),
    touchpoint: shortText(100).optional(),
    channel: z.enum(CHANNELS).optional(),
    team: shortText(200).optional(),
    ticketExternalId: shortText(200).optional(),
    customer: customerSchema.default({}),
    language: languageCode.optional(),
    respondedAt: instant,
  })
  .strict()
  .transform((s, ctx) => {
    const scale = s.scale ?? DEFAULT_SCALE[s.kind];
    const range = SURVEY_SCALES[s.kind][scale];
    if (!range) {
      ctx.addIssue({
        code: "custom",
        path: ["scale"],
        message: `${s.kind} supports scales ${Object.keys(SURVEY_SCALES[s.kind]).join(" or ")}`,
      });
      return z.NEVER;
    }
    if (s.score < range[0] || s.score > range[1]) {
      ctx.addIssue({ code: "custom", path: ["score"], message: `must be between ${range[0]} and ${range[1]} for ${s.kind}` });
      return z.NEVER;
    }
    return { ...s, scale };
  });
export type SurveyInput = z.infer<typeof surveyInputSchema>;


/** Enrichment stored on every item (written by the enrichment worker). */
export interface Keyword {
  /** normalized, stemmed term or phrase (space-joined stems) used for matching */
  term: string;
  /** readable form for display */
  surface: string;
  score: number;
}
export interface Sentiment {
  /** in [-1, 1] */
  score: number;
  label: "negative" | "neutral" | "positive";
  drivers: string[];
}
export interface Enrichment {
  language: string;
  /** normalized, stemmed content tokens in text order (stop words left out; keywords, near duplicates) */
  tokens: string[];
  /**
   * every word as written, one per position (stems; a stop word's folded form; `#tag`, `@handle`),
   * which phrases and NEAR count. Absent only on items enriched before it existed and not yet
   * migrated (see shared/db/migrations.ts); matching then reads `tokens`.
   */
  words?: string[];
  /** distinct tokens, then the terms of words inside hashtags ("#refunds" adds "refund") */
  terms: string[];
  keywords: Keyword[];
  sentiment: Sentiment | null;
  /** why sentiment is null (empty text, unsupported language) */
  sentimentReason?: string;
}

/**
 * The natural key of an item, also its MongoDB `_id`: workspace, kind, source and external id, so
 * a ticket, a mention and a survey answer that share an external id (and a source) are three
 * items. `|` separates parts; parts are escaped so two different keys can never join into the
 * same string (a key written before the kind was part of it has exactly two separators; see
 * shared/db/migrations.ts).
 */
export function naturalKey(workspace: string, kind: string, source: string, externalId: string): string {
  const esc = (s: string) => s.replaceAll("%", "%25").replaceAll("|", "%7C");
  return `${esc(workspace)}|${esc(kind)}|${esc(source)}|${esc(externalId)}`;
}
