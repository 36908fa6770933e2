/**
 * Which ticket events close a follow-up by themselves: an agent's reply on a ticket of the same
 * customer after the survey answer. A ticket is known by its versions, so a reply is evidenced by
 * - its `firstResponseAt`: a reply at that instant;
 * - a version that raises `agentReplies` above the previous version's (or above 0 for a ticket
 *   seen for the first time): a reply at some moment after the previous version (or after the
 *   ticket's creation) and by this version's `updatedAt`, taken as its time.
 * A reply closes a follow-up only when it is known to come after the answer (`after` later than
 * `respondedAt`). Customer messages, status changes and notes never count. Pure.
 */

export interface TicketReplyView {
  createdAt: Date;
  updatedAt: Date;
  firstResponseAt?: Date;
  agentReplies?: number;
}

export interface ReplyEvidence {
  /** when the reply is taken to have happened (the follow-up's time) */
  at: Date;
  /** the reply is known to be later than this instant */
  after: Date;
}

export function replyEvidenceOf(current: TicketReplyView, previous?: Pick<TicketReplyView, "updatedAt" | "agentReplies">): ReplyEvidence[] {
  const out: ReplyEvidence[] = [];
  if (current.firstResponseAt) out.push({ at: current.firstResponseAt, after: current.firstResponseAt });
  if ((current.agentReplies ?? 0) > (previous?.agentReplies ?? 0)) {
    out.push({ at: current.updatedAt, after: previous?.updatedAt ?? current.createdAt });
  }
  return out;
}

/** The earliest reply that follows an answer given at `respondedAt`, or null. */
export function firstReplyAfter(evidence: readonly ReplyEvidence[], respondedAt: Date): ReplyEvidence | null {
  let best: ReplyEvidence | null = null;
  for (const e of evidence) {
    if (e.after.getTime() <= respondedAt.getTime()) continue;
    if (!best || e.at.getTime() < best.at.getTime()) best = e;
  }
  return best;
}
