/**
 * Alert rules: what a workspace watches, where it is told, and each rule's detector state. The
 * state moves only by compare-and-set on the last evaluated bucket, so two evaluators can never
 * both advance a rule (nor both notify) for the same bucket. Notification URLs and signing secrets
 * are sealed like webhook secrets: never returned, never logged.
 */
import { randomBytes } from "node:crypto";
import type { Collection, Db } from "mongodb";
import { open, seal, type SealedSecret, type SecretKey } from "../crypto/secret-box";
import type { AlertRuleKind, ChannelType } from "../domain/alerts/alert-doc";
import { redactedTarget } from "../domain/alerts/alert-doc";
import type { RuleSpec, RuleState } from "../domain/alerts/rule-step";
import type { Dimension } from "../domain/metrics/contribution";

export interface StoredChannel {
  type: ChannelType;
  /** scheme and host, for listings */
  target: string;
  url: SealedSecret;
  /** generic webhooks: the HMAC secret the receiver checks X-Undercurrent-Signature with */
  secret?: SealedSecret;
}

export interface AlertRuleDoc extends RuleSpec {
  _id: string;
  workspace: string;
  name: string;
  kind: AlertRuleKind;
  /** a saved search id, or null for the whole workspace */
  searchId: string | null;
  filters: Partial<Record<Dimension, string[]>>;
  channels: StoredChannel[];
  enabled: boolean;
  /** notifications of episodes opening before this are recorded as snoozed, not sent */
  snoozedUntil?: Date;
  createdAt: Date;
  updatedAt: Date;
  state: RuleState;
  /** the alert of the episode open now, if any */
  openAlertId: string | null;
}

export interface ChannelInput {
  type: ChannelType;
  url: string;
  secret?: string;
}

/** A channel with its URL and secret opened, for the sender only. */
export interface OpenChannel {
  type: ChannelType;
  target: string;
  url: string;
  secret?: string;
}

export type RuleInput = Omit<AlertRuleDoc, "_id" | "workspace" | "channels" | "createdAt" | "updatedAt" | "state" | "openAlertId" | "snoozedUntil"> & {
  channels: ChannelInput[];
};

export function makeAlertRulesRepo(db: Db, key: SecretKey, now: () => Date = () => new Date()) {
  const col: Collection<AlertRuleDoc> = db.collection<AlertRuleDoc>("alert_rules");
  const sealChannels = (cs: ChannelInput[]): StoredChannel[] =>
    cs.map((c) => ({
      type: c.type,
      target: redactedTarget(c.url),
      url: seal(key, c.url),
      ...(c.secret ? { secret: seal(key, c.secret) } : {}),
    }));
  return {
    col,
    async create(workspace: string, input: RuleInput): Promise<AlertRuleDoc> {
      const t = now();
      const doc: AlertRuleDoc = {
        ...input,
        _id: `r${randomBytes(8).toString("hex")}`,
        workspace,
        channels: sealChannels(input.channels),
        createdAt: t,
        updatedAt: t,
        state: { lastStart: null },
        openAlertId: null,
      };
      await col.insertOne(doc);
      return doc;
    },
    get: (workspace: string, id: string) => col.findOne({ _id: id, workspace }),
    list: (workspace: string) => col.find({ workspace }).sort({ createdAt: 1 }).toArray(),
    count: (workspace: string) => col.countDocuments({ workspace }),
    /**
     * Applies a change. A change to the watched series (metric, search, filters, resolution, kind,
     * threshold) starts the detector afresh; the open episode, if any, is left to its alert.
     */
    async update(workspace: string, id: string, change: Partial<RuleInput>, resetState: boolean): Promise<AlertRuleDoc | null> {
      const { channels, ...rest } = change;
      const set: Record<string, unknown> = { ...rest, updatedAt: now() };
      if (channels) set.channels = sealChannels(channels);
      if (resetState) Object.assign(set, { state: { lastStart: null }, openAlertId: null });
      return col.findOneAndUpdate({ _id: id, workspace }, { $set: set }, { returnDocument: "after" });
    },
    async remove(workspace: string, id: string): Promise<boolean> {
      return (await col.deleteOne({ _id: id, workspace })).deletedCount === 1;
    },
    snooze: (workspace: string, id: string, until: Date) => col.updateOne({ _id: id, workspace }, { $set: { snoozedUntil: until } }),
    /** Ends a snooze early: episodes opening from now on notify again. */
    unsnooze: (workspace: string, id: string) =>
      col.findOneAndUpdate({ _id: id, workspace }, { $unset: { snoozedUntil: "" } }, { returnDocument: "after" }),
    /** Every enabled rule, for the evaluator. */
    enabled: () => col.find({ enabled: true }).toArray(),
    /**
     * Moves the rule from the state evaluated at `expectedLastStart` to `state`; false when
     * another evaluation moved it first (or the rule changed or went away meanwhile).
     */
    async advance(id: string, expectedLastStart: number | null, updatedAt: Date, state: RuleState, openAlertId: string | null): Promise<boolean> {
      const r = await col.updateOne(
        { _id: id, "state.lastStart": expectedLastStart, updatedAt },
        { $set: { state, openAlertId } },
      );
      return r.modifiedCount === 1;
    },
    openChannels(rule: Pick<AlertRuleDoc, "channels">): OpenChannel[] {
      return rule.channels.map((c) => ({
        type: c.type,
        target: c.target,
        url: open(key, c.url),
        ...(c.secret ? { secret: open(key, c.secret) } : {}),
      }));
    },
    /** Re-seals every channel under `next` (key rotation); returns how many rules were re-sealed. */
    async reseal(next: SecretKey): Promise<number> {
      let n = 0;
      for await (const rule of col.find({}, { projection: { channels: 1 } })) {
        const channels = rule.channels.map((c) => ({
          ...c,
          url: seal(next, open(key, c.url)),
          ...(c.secret ? { secret: seal(next, open(key, c.secret)) } : {}),
        }));
        await col.updateOne({ _id: rule._id }, { $set: { channels } });
        n++;
      }
      return n;
    },
  };
}
export type AlertRulesRepo = ReturnType<typeof makeAlertRulesRepo>;
