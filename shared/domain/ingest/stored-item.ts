/**
 * The stored form of an accepted item: canonical fields at the top level plus the bookkeeping that
 * makes ingestion idempotent (`_id` = natural key, `v` = version) and drives the pipeline
 * (`pending` until enriched). Pure: the caller passes `receivedAt`.
 */
import type { FollowUpDue } from "../follow-ups/policy";
import { naturalKey, type ItemKind, type MentionInput, type SurveyInput, type TicketInput } from "../models";

/** The fields every stored item has, whatever its kind. */
export interface StoredItemBase {
  _id: string;
  workspace: string;
  kind: ItemKind;
  /** ticket and survey source; a mention's platform */
  source: string;
  externalId: string;
  /** the item's own time: ticket createdAt, mention postedAt, survey respondedAt */
  at: Date;
  /** version: tickets replace older versions (ms of updatedAt); mentions and surveys never change */
  v: number;
  receivedAt: Date;
  pending: true;
  pendingSince: Date;
}

/** A stored ticket: the canonical ticket fields plus the bookkeeping. */
export type StoredTicket = TicketInput & StoredItemBase & { kind: "ticket" };
/** A stored mention: the canonical mention fields, its platform also as `source`. */
export type StoredMention = MentionInput & StoredItemBase & { kind: "mention" };
/**
 * A stored survey answer. The survey's own kind (nps/csat/ces) is `surveyKind`, because `kind` is
 * the item kind; `followUp` is added by ingestion when the answer needs one.
 */
export type StoredSurvey = Omit<SurveyInput, "kind"> & StoredItemBase & {
  kind: "survey";
  surveyKind: SurveyInput["kind"];
  followUp?: FollowUpDue;
};
/** An accepted item as ingestion writes it, discriminated by `kind`. */
export type StoredItem = StoredTicket | StoredMention | StoredSurvey;

export type CanonicalItem =
  | { kind: "ticket"; item: TicketInput }
  | { kind: "mention"; item: MentionInput }
  | { kind: "survey"; item: SurveyInput };

/**
 * Ticket fields a newer version may omit without meaning "none": the stored value is kept (a
 * helpdesk event often carries the status change but not the body or the reply counts). A new
 * ticket gets these defaults.
 */
export const TICKET_KEPT_FIELDS = { subject: "", body: "", agentReplies: 0, customerMessages: 0, reopens: 0 } as const;

/**
 * Cumulative ticket counters: a newer version never lowers them. Stored with `$max`, so an event
 * that knows only a lower bound (Intercom with a partial list of parts) cannot erase a higher
 * count an earlier event reported.
 */
export const TICKET_COUNTERS = ["agentReplies", "customerMessages", "reopens"] as const;

/** Optional ticket fields that a newer version may drop (a reopened ticket loses resolvedAt). */
export const TICKET_OPTIONAL_FIELDS = [
  "priority", "team", "assignee", "language", "firstResponseAt", "resolvedAt", "handleTimeSec",
] as const;

export function storedItemOf(workspace: string, c: CanonicalItem, receivedAt: Date): StoredItem {
  const common = <K extends ItemKind>(kind: K) => ({ workspace, kind, receivedAt, pending: true as const, pendingSince: receivedAt });
  switch (c.kind) {
    case "ticket":
      return {
        ...c.item,
        ...common("ticket"),
        _id: naturalKey(workspace, "ticket", c.item.source, c.item.externalId),
        at: c.item.createdAt,
        v: c.item.updatedAt.getTime(),
      };
    case "mention":
      return {
        ...c.item,
        ...common("mention"),
        _id: naturalKey(workspace, "mention", c.item.platform, c.item.externalId),
        source: c.item.platform,
        at: c.item.postedAt,
        v: 0,
      };
    case "survey": {
      // The survey's own kind (nps/csat/ces) is stored as `surveyKind`: `kind` is the item kind.
      const { kind: surveyKind, ...answer } = c.item;
      return {
        ...answer,
        surveyKind,
        ...common("survey"),
        _id: naturalKey(workspace, "survey", c.item.source, c.item.externalId),
        at: c.item.respondedAt,
        v: 0,
      };
    }
  }
}
