/**
 * What ingestion does for follow-ups: a survey answer that needs one gets its category and due
 * time as it is stored (under the workspace's policy at that moment), and an agent's reply on a
 * ticket of the same customer after an answer closes its follow-up — whether the ticket arrives
 * after the answer or before it (see shared/domain/follow-ups/replies.ts for which events count).
 */
import type { FastifyBaseLogger } from "fastify";
import type { FollowUpsRepo } from "../../shared/db/follow-ups-repo";
import type { WriteOutcome } from "../../shared/db/versioned-writes";
import { firstReplyAfter, followUpOf, replyEvidenceOf, type ReplyEvidence, type TicketReplyView } from "../../shared/domain/follow-ups";
import type { StoredItem, StoredSurvey, StoredTicket } from "../../shared/domain/ingest/stored-item";

type Doc = StoredItem;
type Entry = { workspace: string; doc: Doc };

/** Indexes of the entries per workspace, so each workspace's reads happen once per write. */
function byWorkspace(entries: readonly Entry[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  entries.forEach((e, i) => out.set(e.workspace, [...(out.get(e.workspace) ?? []), i]));
  return out;
}

const customerIdOf = (d: Doc): string | undefined => d.customer?.id;
const mayEvidenceReply = (d: StoredTicket) => d.firstResponseAt !== undefined || (typeof d.agentReplies === "number" && d.agentReplies > 0);
const isTicket = (d: Doc): d is StoredTicket => d.kind === "ticket";
const isSurvey = (d: Doc): d is StoredSurvey => d.kind === "survey";

/**
 * Runs around each group-committed write (so its reads are shared by every request gathered in
 * it): `prepare` before, `settle` after.
 */
export function makeFollowUpIngest(repo: FollowUpsRepo, log: FastifyBaseLogger) {
  const one = makeWorkspaceFollowUps(repo, log);
  return {
    async prepare(entries: readonly Entry[]): Promise<Map<string, Map<string, TicketReplyView>>> {
      const groups = [...byWorkspace(entries)];
      const previous = await Promise.all(groups.map(([ws, idx]) => one.prepare(ws, idx.map((i) => entries[i]!.doc))));
      return new Map(groups.map(([ws], k) => [ws, previous[k]!]));
    },
    async settle(entries: readonly Entry[], outcomes: readonly WriteOutcome[], previous: Map<string, Map<string, TicketReplyView>>): Promise<void> {
      await Promise.all(
        [...byWorkspace(entries)].map(([ws, idx]) =>
          one.settle(ws, idx.map((i) => entries[i]!.doc), idx.map((i) => outcomes[i]!), previous.get(ws) ?? new Map()),
        ),
      );
    },
  };
}

function makeWorkspaceFollowUps(repo: FollowUpsRepo, log: FastifyBaseLogger) {
  return {
    /**
     * Before the write: adds `followUp` to the answers that need one, and reads the stored
     * versions of the tickets whose customers have open follow-ups (to see whether this version
     * adds an agent reply).
     */
    async prepare(workspace: string, docs: readonly Doc[]): Promise<Map<string, TicketReplyView>> {
      if (docs.some((d) => d.kind === "survey")) {
        const policy = await repo.policyOf(workspace);
        for (const d of docs) {
          if (d.kind !== "survey") continue;
          // The stored answer always has its scale (the schema defaults it per survey kind).
          const due = followUpOf({ surveyKind: d.surveyKind, score: d.score, scale: d.scale, respondedAt: d.respondedAt }, policy);
          if (due) d.followUp = due;
        }
      }
      // Only a version with a first response or agent replies can evidence a reply: the others
      // cost no read.
      const tickets = docs.filter(isTicket).filter((d) => customerIdOf(d) !== undefined && mayEvidenceReply(d));
      if (tickets.length === 0) return new Map();
      const open = new Set((await repo.openOf(workspace, [...new Set(tickets.map((d) => customerIdOf(d)!))])).map((o) => o.customerId));
      return repo.ticketsById(workspace, tickets.filter((d) => open.has(customerIdOf(d)!)).map((d) => d._id));
    },

    /** After the write: closes the follow-ups that the stored tickets and answers settle. */
    async settle(workspace: string, docs: readonly Doc[], outcomes: readonly WriteOutcome[], previous: Map<string, TicketReplyView>): Promise<void> {
      try {
        const evidence = new Map<string, { ticketId: string; e: ReplyEvidence }[]>();
        docs.forEach((d, i) => {
          const o = outcomes[i]!;
          const customerId = customerIdOf(d);
          if (d.kind !== "ticket" || !customerId || !("status" in o) || o.status === "unchanged") return;
          const found = replyEvidenceOf(d, previous.get(d._id));
          if (found.length) evidence.set(customerId, [...(evidence.get(customerId) ?? []), ...found.map((e) => ({ ticketId: d._id, e }))]);
        });
        if (evidence.size) {
          for (const open of await repo.openOf(workspace, [...evidence.keys()])) {
            await closeByFirstReply(open.id, open.respondedAt, evidence.get(open.customerId) ?? []);
          }
        }
        // Answers stored now whose customer's tickets already hold a later agent reply.
        const answers = docs.filter((d, i): d is StoredSurvey => {
          const o = outcomes[i]!;
          return isSurvey(d) && d.followUp !== undefined && customerIdOf(d) !== undefined && "status" in o && o.status === "created";
        });
        if (answers.length) {
          const tickets = await repo.ticketsOfCustomers(workspace, [...new Set(answers.map((d) => customerIdOf(d)!))]);
          for (const d of answers) {
            const own = tickets.filter((t) => t.customerId === customerIdOf(d));
            await closeByFirstReply(d._id, d.respondedAt, own.flatMap((t) => replyEvidenceOf(t).map((e) => ({ ticketId: t.id, e }))));
          }
        }
      } catch (err) {
        // The items are stored; a follow-up left open here can still be closed by the API.
        log.warn({ err: (err as Error).message, workspace }, "could not close follow-ups from ticket replies");
      }

      async function closeByFirstReply(id: string, respondedAt: Date, candidates: { ticketId: string; e: ReplyEvidence }[]) {
        const first = firstReplyAfter(candidates.map((c) => c.e), respondedAt);
        if (!first) return;
        const ticketId = candidates.find((c) => c.e === first)!.ticketId;
        await repo.close(workspace, id, { doneAt: first.at, via: "ticket-reply", ticketId });
      }
    },
  };
}
