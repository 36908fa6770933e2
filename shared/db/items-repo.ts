/**
 * Writes accepted items so that repeating a write converges: tickets replace only older versions,
 * mentions and surveys are inserted once. One unordered bulk write per call.
 */
import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection } from "mongodb";
import type { ItemDoc } from "./collections";
import { TICKET_COUNTERS, TICKET_KEPT_FIELDS, TICKET_OPTIONAL_FIELDS, type StoredItemBase } from "../domain/ingest/stored-item";
import { DUPLICATE_KEY, UnavailableError } from "../errors";

/** created: first time seen; updated: a newer ticket version replaced the stored one;
 *  unchanged: a redelivery, a duplicate or an older version arriving late. */
export type WriteStatus = "created" | "updated" | "unchanged";

export async function writeItems(
  items: Collection<ItemDoc>,
  docs: readonly (StoredItemBase & Record<string, unknown>)[],
): Promise<WriteStatus[]> {
  if (docs.length === 0) return [];
  const ops = docs.map(writeOpOf);
  let upserted: Record<number, unknown>;
  let duplicates: Set<number>;
  try {
    const res = await items.bulkWrite(ops, { ordered: false });
    upserted = res.upsertedIds;
    duplicates = new Set();
  } catch (err) {
    if (!(err instanceof MongoBulkWriteError)) throw err;
    const writeErrors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
    // No per-write errors: the whole batch failed (connection lost, write concern): nothing is
    // known to be stored, so the caller must not answer 202.
    if (writeErrors.length === 0 || err.writeConcernError) {
      throw new UnavailableError("the database did not confirm the write; retry later");
    }
    const other = writeErrors.find((e) => e.code !== DUPLICATE_KEY);
    if (other) throw err;
    // Duplicate key on an upsert = the stored version is as new or newer: nothing to do.
    upserted = err.result.upsertedIds;
    duplicates = new Set(writeErrors.map((e) => e.index));
  }
  return docs.map((doc, i) => {
    if (i in upserted) return "created";
    if (doc.kind !== "ticket" || duplicates.has(i)) return "unchanged";
    return "updated";
  });
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
