/**
 * Writes that converge when repeated, shared by every collection whose documents are versioned:
 * a document replaces the stored one only when its version `v` is newer (an older version arriving
 * late, or a redelivery, collides on `_id` and changes nothing), and one document the database
 * refuses fails alone. Tickets (items-repo) and customers (customers-repo) are written this way.
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
  type Document,
  type UpdateFilter,
} from "mongodb";
import { AppError, DUPLICATE_KEY, UnavailableError } from "../errors";

/** created: first time seen; updated: a newer version replaced the stored one;
 *  unchanged: a redelivery, a duplicate or an older version arriving late. */
export type WriteStatus = "created" | "updated" | "unchanged";

/** One document's outcome: stored (with its status), or refused by the database for itself alone. */
export type WriteOutcome = { status: WriteStatus } | { error: string };

/** A write of one document and whether it replaces older versions (else it is inserted once). */
export interface ConvergingWrite<T extends Document> {
  op: AnyBulkWriteOperation<T>;
  versioned: boolean;
}

/**
 * The upsert that stores `update` only over an older stored version: it matches `{ _id, v < v }`,
 * so when the stored version is as new or newer the upsert collides on `_id` (11000) and the
 * write is reported unchanged.
 */
export function newerVersionUpsert<T extends Document>(_id: string, v: number, update: UpdateFilter<T>): AnyBulkWriteOperation<T> {
  return { updateOne: { filter: { _id, v: { $lt: v } } as never, update, upsert: true } };
}

/** The upsert that stores a document the first time only. */
export function insertOnceUpsert<T extends Document>(_id: string, fields: Record<string, unknown>): AnyBulkWriteOperation<T> {
  return { updateOne: { filter: { _id } as never, update: { $setOnInsert: fields } as never, upsert: true } };
}

/**
 * Runs the writes in one unordered bulk write. A document the database refuses (a write error
 * other than a duplicate key, or one the driver cannot even encode) fails alone: the others are
 * stored and get their status. Throws UnavailableError when nothing is known to be stored
 * (connection lost, write concern not met), so the caller must not acknowledge.
 */
export async function writeConverging<T extends Document>(
  collection: Collection<T>,
  writes: readonly ConvergingWrite<T>[],
): Promise<WriteOutcome[]> {
  if (writes.length === 0) return [];
  try {
    return await bulkWrite(collection, writes);
  } catch (err) {
    if (!isDocumentError(err)) throw err;
    // The whole command was refused because of a document in it (e.g. the driver cannot encode a
    // field name with a NUL byte): write one by one, so only that document fails.
    const outcomes: WriteOutcome[] = [];
    for (const w of writes) {
      try {
        outcomes.push((await bulkWrite(collection, [w]))[0]!);
      } catch (one) {
        if (!isDocumentError(one)) throw one;
        outcomes.push({ error: messageOf(one) });
      }
    }
    return outcomes;
  }
}

async function bulkWrite<T extends Document>(collection: Collection<T>, writes: readonly ConvergingWrite<T>[]): Promise<WriteOutcome[]> {
  let upserted: Record<number, unknown>;
  const refused = new Map<number, string>();
  const duplicates = new Set<number>();
  try {
    const res = await collection.bulkWrite(writes.map((w) => w.op), { ordered: false });
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
  return writes.map((w, i): WriteOutcome => {
    const error = refused.get(i);
    if (error !== undefined) return { error: `the database refused this item: ${error}` };
    if (i in upserted) return { status: "created" };
    if (!w.versioned || duplicates.has(i)) return { status: "unchanged" };
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

/** The fields with a value (MongoDB would store `undefined` as null). */
export function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
