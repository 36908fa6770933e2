/**
 * Follow-ups live on the survey answers they belong to (`followUp` on the item: category, due
 * time, and once done: when, by whom, how). This repository reads and closes them, and holds each
 * workspace's policy.
 */
import type { Collection } from "mongodb";
import type { FollowUpField, FollowUpPolicyDoc, ItemDoc, SurveyDoc, TicketDoc } from "./collections";
import {
  DEFAULT_FOLLOW_UP_POLICY,
  followUpPolicySchema,
  type FollowUpPolicy,
  type FollowUpRow,
  type TicketReplyView,
} from "../domain/follow-ups";

export type { FollowUpField };

/** A survey answer that has a follow-up, with the fields the follow-up views read. */
export type FollowUpItem = Pick<SurveyDoc, "_id" | "externalId" | "source" | "surveyKind" | "score" | "scale" | "customer" | "respondedAt"> & {
  followUp: FollowUpField;
};
/** The stored ticket fields that evidence a reply (see shared/domain/follow-ups/replies.ts). */
type TicketReplyFields = Pick<TicketDoc, "_id" | "createdAt" | "updatedAt" | "firstResponseAt" | "agentReplies">;
/** Projections below name what they read; `find<T>` gives the result that shape. */
const TICKET_REPLY_PROJECTION = { createdAt: 1, updatedAt: 1, firstResponseAt: 1, agentReplies: 1 } as const;

export interface FollowUpClose {
  doneAt: Date;
  by?: string;
  note?: string;
  via: "api" | "ticket-reply";
  ticketId?: string;
}

export const FOLLOW_UP_STATES = ["open", "overdue", "done"] as const;
export type FollowUpState = (typeof FOLLOW_UP_STATES)[number];

export function makeFollowUpsRepo(items: Collection<ItemDoc>, policies: Collection<FollowUpPolicyDoc>) {
  return {
    async policyOf(workspace: string): Promise<FollowUpPolicy> {
      const doc = await policies.findOne({ _id: workspace });
      return doc ? followUpPolicySchema.parse(doc.policy) : DEFAULT_FOLLOW_UP_POLICY;
    },

    async setPolicy(workspace: string, policy: FollowUpPolicy, now: Date): Promise<void> {
      await policies.updateOne({ _id: workspace }, { $set: { policy: { ...policy }, updatedAt: now } }, { upsert: true });
    },

    /** Closes an open follow-up; false when there is none open (absent, not needed, or done). */
    async close(workspace: string, id: string, c: FollowUpClose): Promise<boolean> {
      const set: Record<string, unknown> = { "followUp.doneAt": c.doneAt, "followUp.via": c.via };
      if (c.by !== undefined) set["followUp.by"] = c.by;
      if (c.note !== undefined) set["followUp.note"] = c.note;
      if (c.ticketId !== undefined) set["followUp.ticketId"] = c.ticketId;
      const res = await items.updateOne(
        { _id: id, workspace, kind: "survey", followUp: { $exists: true }, "followUp.doneAt": { $exists: false } },
        { $set: set },
      );
      return res.modifiedCount === 1;
    },

    async get(workspace: string, id: string): Promise<SurveyDoc | null> {
      const d = await items.findOne({ _id: id, workspace, kind: "survey" });
      return d?.kind === "survey" ? d : null;
    },

    /** Open follow-ups of these customers: id, customer and answer time. */
    async openOf(workspace: string, customerIds: readonly string[]): Promise<{ id: string; customerId: string; respondedAt: Date }[]> {
      if (customerIds.length === 0) return [];
      const docs = await items
        .find<Pick<SurveyDoc, "_id" | "customer" | "respondedAt">>(
          { workspace, "customer.id": { $in: [...customerIds] }, kind: "survey", followUp: { $exists: true }, "followUp.doneAt": { $exists: false } },
          { projection: { _id: 1, customer: 1, respondedAt: 1 } },
        )
        .toArray();
      // The filter on customer.id means it is set.
      return docs.map((d) => ({ id: d._id, customerId: d.customer.id!, respondedAt: d.respondedAt }));
    },

    /** Stored tickets (reply counters and times) by id. */
    async ticketsById(workspace: string, ids: readonly string[]): Promise<Map<string, TicketReplyView>> {
      if (ids.length === 0) return new Map();
      const docs = await items
        .find<TicketReplyFields>({ _id: { $in: [...ids] }, workspace }, { projection: TICKET_REPLY_PROJECTION })
        .toArray();
      return new Map(docs.map((d) => [d._id, ticketView(d)]));
    },

    /** These customers' stored tickets. */
    async ticketsOfCustomers(workspace: string, customerIds: readonly string[]): Promise<(TicketReplyView & { id: string; customerId: string })[]> {
      const docs = await items
        .find<TicketReplyFields & Pick<TicketDoc, "customer">>(
          { workspace, "customer.id": { $in: [...customerIds] }, kind: "ticket" },
          { projection: { ...TICKET_REPLY_PROJECTION, customer: 1 } },
        )
        .toArray();
      return docs.map((d) => ({ id: d._id, customerId: d.customer.id!, ...ticketView(d) }));
    },

    /**
     * One page of follow-ups in a state, oldest due first (then by id), after `cursor` (the last
     * row's due time and id).
     */
    async list(workspace: string, state: FollowUpState, now: Date, limit: number, cursor?: { dueAt: Date; id: string }) {
      const filter: Record<string, unknown> = { workspace, kind: "survey", followUp: { $exists: true } };
      if (state === "done") filter["followUp.doneAt"] = { $exists: true };
      else filter["followUp.doneAt"] = { $exists: false };
      const due: Record<string, unknown> = {};
      if (state === "overdue") due.$lt = now;
      if (cursor) {
        filter.$or = [
          { "followUp.dueAt": { $gt: cursor.dueAt, ...due } },
          { "followUp.dueAt": cursor.dueAt, _id: { $gt: cursor.id } },
        ];
      } else if (Object.keys(due).length) filter["followUp.dueAt"] = due;
      return items
        .find<FollowUpItem>(filter, { projection: { _id: 1, externalId: 1, source: 1, surveyKind: 1, score: 1, scale: 1, customer: 1, respondedAt: 1, followUp: 1 } })
        .sort({ "followUp.dueAt": 1, _id: 1 })
        .limit(limit)
        .toArray();
    },

    /** Follow-ups past their due time at `at` (not done then), oldest due first: how many, and the first `limit`. */
    async overdueAt(workspace: string, at: Date, limit: number): Promise<{ count: number; oldest: OverdueItem[] }> {
      const filter = {
        workspace, kind: "survey" as const, followUp: { $exists: true }, "followUp.dueAt": { $lt: at },
        $or: [{ "followUp.doneAt": { $exists: false } }, { "followUp.doneAt": { $gte: at } }],
      };
      const [count, oldest] = await Promise.all([
        items.countDocuments(filter),
        limit > 0
          ? items.find<OverdueItem>(filter, { projection: { _id: 1, externalId: 1, surveyKind: 1, score: 1, customer: 1, followUp: 1 } }).sort({ "followUp.dueAt": 1, _id: 1 }).limit(limit).toArray()
          : Promise.resolve<OverdueItem[]>([]),
      ]);
      return { count, oldest };
    },

    /** Follow-ups whose due time (or follow-up time) lies in [from, to). */
    async rows(workspace: string, by: "dueAt" | "doneAt", from: Date, to: Date): Promise<FollowUpRow[]> {
      const docs = await items
        .find<Pick<FollowUpItem, "_id" | "respondedAt" | "followUp">>(
          { workspace, kind: "survey", followUp: { $exists: true }, [`followUp.${by}`]: { $gte: from, $lt: to } },
          { projection: { respondedAt: 1, followUp: 1 } },
        )
        .toArray();
      return docs.map((d) => {
        const f = d.followUp;
        return { category: f.category, respondedAt: d.respondedAt, dueAt: f.dueAt, ...(f.doneAt ? { doneAt: f.doneAt } : {}) };
      });
    },
  };
}
export type FollowUpsRepo = ReturnType<typeof makeFollowUpsRepo>;
/** An overdue follow-up as an alert's example shows it. */
export type OverdueItem = Pick<FollowUpItem, "_id" | "externalId" | "surveyKind" | "score" | "customer" | "followUp">;

function ticketView(d: TicketReplyFields): TicketReplyView {
  return {
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    ...(d.firstResponseAt ? { firstResponseAt: d.firstResponseAt } : {}),
    ...(typeof d.agentReplies === "number" ? { agentReplies: d.agentReplies } : {}),
  };
}
