/**
 * Writes accepted items so that repeating a write converges: tickets replace only older versions,
 * mentions and surveys are inserted once.
 */
import {
  BSON,
  MongoBulkWriteError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
  type AnyBulkWriteOperation,
  type Collection,
} from "mongodb";
import type { ItemDoc } from "./collections";
import { TICKET_COUNTERS, TICKET_KEPT_FIELDS, TICKET_OPTIONAL_FIELDS, type StoredItemBase } from "../domain/ingest/stored-item";
import { AppError, DUPLICATE_KEY, UnavailableError } from "../errors";

/** created: first time seen; updated: a newer ticket version replaced the stored one;
 *  unchanged: a redelivery, a duplicate or an older version arriving late. */
export type WriteStatus = "created" | "updated" | "unchanged";

/** One item's outcome: stored (with its status), or refused by the database for itself alone. */
export type WriteOutcome = { status: WriteStatus } | { error: string };

/**
 * Writes the items in one unordered bulk write. An item the database refuses (a write error other
 * than a duplicate key, or a document the driver cannot even encode) fails alone: the others are
 * stored and get their status. Throws UnavailableError when nothing is known to be stored
 * (connection lost, write concern not met), so the caller must not answer 202.
 */
export async function writeItems(
  items: Collection<ItemDoc>,
  docs: readonly (StoredItemBase & Record<string, unknown>)[],
): Promise<WriteOutcome[]> {
  if (docs.length === 0) return [];
  try {
    return await bulkWriteItems(items, docs);
  } catch (err) {
    if (!isDocumentError(err)) throw err;
    // The whole command was refused because of a document in it (e.g. the driver cannot encode a
    // field name with a NUL byte): write one by one, so only that document fails.
    const outcomes: WriteOutcome[] = [];
    for (const doc of docs) {
      try {
        outcomes.push((await bulkWriteItems(items, [doc]))[0]!);
      } catch (one) {
        if (!isDocumentError(one)) throw one;
        outcomes.push({ error: messageOf(one) });
      }
    }
    return outcomes;
  }
}

async function bulkWriteItems(
  items: Collection<ItemDoc>,
  docs: readonly (StoredItemBase & Record<string, unknown>)[],
): Promise<WriteOutcome[]> {
  let upserted: Record<number, unknown>;
  const refused = new Map<number, string>();
  const duplicates = new Set<number>();
  try {
    const res = await items.bulkWrite(docs.map(writeOpOf), { ordered: false });
    upserted = res.upsertedIds;
  } catch (err) {
    if (!(err instanceof MongoBulkWriteError)) throw err;
    const writeErrors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
    // No per-write errors: the whole batch failed (connection lost, write concern): nothing is
    // known to be stored, so the caller must not answer 202.
    if (writeErrors.length === 0 || err.writeConcernError) {
      throw new UnavailableError("the database did not confirm the write; retry later");
    }
    for (const e of writeErrors) {
      // Duplicate key on an upsert = the stored version is as new or newer: nothing to do.
      if (e.code === DUPLICATE_KEY) duplicates.add(e.index);
      else refused.set(e.index, e.errmsg ?? `database error ${e.code}`);
    }
    upserted = err.result.upsertedIds;
  }
  return docs.map((doc, i): WriteOutcome => {
    const error = refused.get(i);
    if (error !== undefined) return { error: `the database refused this item: ${error}` };
    if (i in upserted) return { status: "created" };
    if (doc.kind !== "ticket" || duplicates.has(i)) return { status: "unchanged" };
    return { status: "updated" };
  });
}

/**
 * An error caused by the documents sent rather than by the database being unreachable: the driver
 * failing to encode one (BSONError), or a command-level refusal with a server error code.
 */
function isDocumentError(err: unknown): boolean {
  if (err instanceof AppError) return false;
  if (err instanceof MongoNetworkError || err instanceof MongoServerSelectionError || err instanceof MongoNotConnectedError) return false;
  if (BSON.BSONError.isBSONError(err)) return true;
  return err instanceof MongoServerError && typeof err.code === "number" && err.code !== DUPLICATE_KEY;
}

function messageOf(err: unknown): string {
  return `the database refused this item: ${err instanceof Error ? err.message : String(err)}`;
}

function writeOpOf(doc: StoredItemBase & Record<string, unknown>): AnyBulkWriteOperation<ItemDoc> {
  const { _id, ...fields } = doc;
  if (doc.kind === "ticket") {
    const unset = Object.fromEntries(
      TICKET_OPTIONAL_FIELDS.filter((f) => fields[f] === undefined).map((f) => [f, "" as const]),
    );
    const defaults = Object.fromEntries(Object.entries(TICKET_KEPT_FIELDS).filter(([f]) => fields[f] === undefined));
    const counters = Object.fromEntries(TICKET_COUNTERS.filter((f) => fields[f] !== undefined).map((f) => [f, fields[f]]));
    return {
      updateOne: {
        // Matches only an older stored version; otherwise the upsert collides on _id (11000) and
        // the late or repeated version changes nothing.
        filter: { _id, v: { $lt: doc.v } },
        update: {
          $set: stripUndefined(withoutKeys(fields, TICKET_COUNTERS)),
          ...(Object.keys(counters).length ? { $max: counters } : {}),
          ...(Object.keys(unset).length ? { $unset: unset } : {}),
          ...(Object.keys(defaults).length ? { $setOnInsert: defaults } : {}),
        },
        upsert: true,
      },
    };
  }
  return { updateOne: { filter: { _id }, update: { $setOnInsert: stripUndefined(fields) }, upsert: true } };
}

function withoutKeys(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
}

function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
