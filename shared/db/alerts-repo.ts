/**
 * Alerts: one document per episode of a rule, `_id` derived from the rule and the bucket that
 * opened it (alertIdOf), so re-running that bucket finds the alert instead of making a second one.
 */
import type { Collection, Db } from "mongodb";
import type { AlertReading, AlertView, Delivery } from "../domain/alerts/alert-doc";

export interface AlertDoc extends Omit<AlertView, "id"> {
  _id: string;
  workspace: string;
  createdAt: Date;
}

export interface AlertListQuery {
  ruleId?: string;
  state?: "open" | "resolved";
  /** the last alert of the previous page: newest first, by openedAt then _id */
  after?: { openedAt: Date; id: string };
  limit: number;
}

export function makeAlertsRepo(db: Db) {
  const col: Collection<AlertDoc> = db.collection<AlertDoc>("alerts");
  return {
    col,
    /** Inserts the alert unless an alert with its id exists; returns the stored one. */
    async open(doc: AlertDoc): Promise<AlertDoc> {
      const { _id, ...fields } = doc;
      await col.updateOne({ _id }, { $setOnInsert: fields }, { upsert: true });
      return (await col.findOne({ _id: doc._id }))!;
    },
    /** Records a bucket of an open episode: keeps the highest reading as the peak. */
    async ongoing(id: string, r: AlertReading): Promise<void> {
      await col.updateOne(
        { _id: id, state: "open", $or: [{ "peak.value": null }, { "peak.value": { $lt: r.value } }] },
        { $set: { peak: r } },
      );
    },
    async resolve(id: string, at: Date): Promise<void> {
      await col.updateOne({ _id: id, state: "open" }, { $set: { state: "resolved", resolvedAt: at } });
    },
    get: (workspace: string, id: string) => col.findOne({ _id: id, workspace }),
    byId: (id: string) => col.findOne({ _id: id }),
    async list(workspace: string, q: AlertListQuery): Promise<AlertDoc[]> {
      const filter: Record<string, unknown> = { workspace };
      if (q.ruleId) filter.ruleId = q.ruleId;
      if (q.state) filter.state = q.state;
      if (q.after) {
        filter.$or = [{ openedAt: { $lt: q.after.openedAt } }, { openedAt: q.after.openedAt, _id: { $lt: q.after.id } }];
      }
      return col.find(filter).sort({ openedAt: -1, _id: -1 }).limit(q.limit).toArray();
    },
    async acknowledge(workspace: string, id: string, by: string, at: Date): Promise<AlertDoc | null> {
      return col.findOneAndUpdate(
        { _id: id, workspace },
        { $set: { acknowledgedAt: at, acknowledgedBy: by } },
        { returnDocument: "after" },
      );
    },
    async setDelivery(id: string, index: number, d: Delivery): Promise<void> {
      await col.updateOne({ _id: id }, { $set: { [`deliveries.${index}`]: d } });
    },
  };
}
export type AlertsRepo = ReturnType<typeof makeAlertsRepo>;

export const alertView = (d: AlertDoc): AlertView => {
  const { _id, workspace: _w, createdAt: _c, ...rest } = d;
  return { id: _id, ...rest };
};
