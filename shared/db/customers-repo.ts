/**
 * Customers: written so that repeating a write converges (the newest version's fields replace
 * older ones through the same versioned upsert as tickets; every version is kept for the spells),
 * and read back for churn queries and a customer's page.
 */
import type { Collection } from "mongodb";
import type { CustomerDoc, ItemDoc, SurveyDoc, TicketDoc } from "./collections";
import { customerKey, type ChurnCustomer, type CustomerInput, type CustomerVersion, type DriverItem } from "../domain/customers";
import { newerVersionUpsert, stripUndefined, writeConverging, type WriteOutcome } from "./versioned-writes";
import { UnavailableError } from "../errors";

export function makeCustomersRepo(customers: Collection<CustomerDoc>, items: Collection<ItemDoc>) {
  return {
    /**
     * Stores customer versions: first the versioned upsert of the current fields (created,
     * updated, or unchanged for a redelivery or an older version), then each version into the
     * customer's history, which an older version arriving late still joins (it can add a spell's
     * cancellation). Both writes are idempotent, so a retry after a failure in between converges.
     */
    async write(workspace: string, inputs: readonly CustomerInput[], receivedAt: Date): Promise<({ id: string } & WriteOutcome)[]> {
      const ids = inputs.map((c) => customerKey(workspace, c.externalId));
      const outcomes = await writeConverging(
        customers,
        inputs.map((c, i) => {
          const { updatedAt, ...fields } = c;
          return {
            op: newerVersionUpsert<CustomerDoc>(ids[i]!, updatedAt.getTime(), {
              $set: stripUndefined({ ...fields, workspace, updatedAt, v: updatedAt.getTime(), receivedAt }),
            } as never),
            versioned: true,
          };
        }),
      );
      const history = inputs.flatMap((c, i) => {
        if (!("status" in outcomes[i]!)) return [];
        const at = `versions.${versionKeyOf(c.updatedAt.getTime())}`;
        return [{
          updateOne: {
            filter: { _id: ids[i]! },
            update: {
              $set: stripUndefined({ [`${at}.startedAt`]: c.startedAt, [`${at}.cancelledAt`]: c.cancelledAt, [`${at}.monthlyRevenue`]: c.monthlyRevenue }),
              $min: { [`${at}.receivedAt`]: receivedAt },
            } as never,
          },
        }];
      });
      if (history.length) {
        try {
          await customers.bulkWrite(history, { ordered: false });
        } catch {
          throw new UnavailableError("the database did not confirm the customers' history; retry later (repeating is safe)");
        }
      }
      return outcomes.map((o, i) => ({ id: ids[i]!, ...o }));
    },

    /** Every customer of the workspace with its versions, for churn queries. */
    async loadForChurn(workspace: string): Promise<ChurnCustomer[]> {
      const docs = await customers
        .find({ workspace }, { projection: { externalId: 1, segment: 1, plan: 1, region: 1, versions: 1 } })
        .toArray();
      return docs.map((d) => ({ ...stripUndefined({ segment: d.segment, plan: d.plan, region: d.region }), externalId: d.externalId, versions: versionsOf(d) }));
    },

    async get(workspace: string, externalId: string): Promise<CustomerDoc | null> {
      return customers.findOne({ _id: customerKey(workspace, externalId), workspace });
    },

    /** The customers' tickets, mentions and answers with their own time in [from, to), as the churn drivers read them. */
    async driverItems(workspace: string, customerIds: readonly string[], from: Date, to: Date): Promise<DriverItem[]> {
      const out: DriverItem[] = [];
      for (let i = 0; i < customerIds.length; i += 1_000) {
        const docs = await items
          .find<DriverDoc>(
            { workspace, "customer.id": { $in: customerIds.slice(i, i + 1_000) }, at: { $gte: from, $lt: to } },
            {
              projection: {
                kind: 1, at: 1, "customer.id": 1, createdAt: 1, resolvedAt: 1, agentReplies: 1, reopens: 1,
                "enrichment.sentiment.label": 1, surveyKind: 1, score: 1, searchIds: 1,
              },
            },
          )
          .toArray();
        for (const d of docs) out.push(driverItemOf(d));
      }
      return out;
    },

    /** How many tickets, mentions and survey answers carry the customer's id. */
    async linkedCounts(workspace: string, externalId: string): Promise<Record<"ticket" | "mention" | "survey", number>> {
      const [ticket, mention, survey] = await Promise.all(
        (["ticket", "mention", "survey"] as const).map((kind) => items.countDocuments({ workspace, "customer.id": externalId, kind })),
      );
      return { ticket: ticket!, mention: mention!, survey: survey! };
    },
  };
}
export type CustomersRepo = ReturnType<typeof makeCustomersRepo>;

/**
 * A version's key in `versions`: "v" + ms of its updatedAt (a field name that is not a number, so
 * no store can take the path for an array index).
 */
const versionKeyOf = (ms: number) => `v${ms}`;

/** The stored versions as the spells derivation reads them. */
export function versionsOf(d: Pick<CustomerDoc, "versions">): CustomerVersion[] {
  return Object.entries(d.versions ?? {}).map(([v, x]) => ({
    updatedAt: Number(v.slice(1)),
    startedAt: x.startedAt,
    cancelledAt: x.cancelledAt ?? null,
    ...(x.monthlyRevenue !== undefined ? { monthlyRevenue: x.monthlyRevenue } : {}),
    receivedAt: x.receivedAt,
  }));
}

/** An item as `driverItems` projects it (its filter on `customer.id` means the id is set). */
type DriverDoc = {
  _id: string;
  at: Date;
  customer: { id: string };
  enrichment?: { sentiment?: { label?: DriverItem["sentiment"] } | null };
  searchIds?: string[];
} & (
  | ({ kind: "ticket" } & Pick<TicketDoc, "createdAt" | "resolvedAt" | "agentReplies" | "reopens">)
  | { kind: "mention" }
  | ({ kind: "survey" } & Pick<SurveyDoc, "surveyKind" | "score">)
);

function driverItemOf(d: DriverDoc): DriverItem {
  const label = d.enrichment?.sentiment?.label;
  const ticket = d.kind === "ticket" ? d : undefined;
  const survey = d.kind === "survey" ? d : undefined;
  return {
    customerId: d.customer.id,
    kind: d.kind,
    at: d.at,
    ...(ticket?.createdAt instanceof Date ? { createdAt: ticket.createdAt } : {}),
    ...(ticket?.resolvedAt instanceof Date ? { resolvedAt: ticket.resolvedAt } : {}),
    ...(typeof ticket?.agentReplies === "number" ? { agentReplies: ticket.agentReplies } : {}),
    ...(typeof ticket?.reopens === "number" ? { reopens: ticket.reopens } : {}),
    ...(label ? { sentiment: label } : {}),
    ...(typeof survey?.surveyKind === "string" ? { surveyKind: survey.surveyKind } : {}),
    ...(typeof survey?.score === "number" ? { score: survey.score } : {}),
    ...(Array.isArray(d.searchIds) ? { searchIds: d.searchIds } : {}),
  };
}
