/**
 * Writes accepted items so that repeating a write converges: tickets replace only older versions,
 * mentions and surveys are inserted once (see versioned-writes.ts).
 */
import type { Collection } from "mongodb";
import type { ItemDoc } from "./collections";
import { TICKET_COUNTERS, TICKET_KEPT_FIELDS, TICKET_OPTIONAL_FIELDS, type StoredItem } from "../domain/ingest/stored-item";
import {
  insertOnceUpsert,
  newerVersionUpsert,
  stripUndefined,
  writeConverging,
  type ConvergingWrite,
  type WriteOutcome,
  type WriteStatus,
} from "./versioned-writes";

export type { WriteOutcome, WriteStatus };

/**
 * Writes the items in one unordered bulk write; an item the database refuses fails alone. Throws
 * UnavailableError when nothing is known to be stored, so the caller must not answer 202.
 */
export function writeItems(
  items: Collection<ItemDoc>,
  docs: readonly StoredItem[],
): Promise<WriteOutcome[]> {
  return writeConverging(items, docs.map(writeOf));
}

function writeOf(doc: StoredItem): ConvergingWrite<ItemDoc> {
  if (doc.kind !== "ticket") {
    const { _id, ...fields } = doc;
    return { op: insertOnceUpsert(_id, stripUndefined(fields)), versioned: false };
  }
  const { _id, ...fields } = doc;
  const given: Readonly<Record<string, unknown>> = fields;
  const unset = Object.fromEntries(
    TICKET_OPTIONAL_FIELDS.filter((f) => fields[f] === undefined).map((f) => [f, "" as const]),
  );
  const defaults = Object.fromEntries(Object.entries(TICKET_KEPT_FIELDS).filter(([f]) => given[f] === undefined));
  const counters = Object.fromEntries(TICKET_COUNTERS.filter((f) => fields[f] !== undefined).map((f) => [f, fields[f]]));
  return {
    op: newerVersionUpsert<ItemDoc>(_id, doc.v, {
      $set: stripUndefined(withoutKeys(fields, TICKET_COUNTERS)),
      ...(Object.keys(counters).length ? { $max: counters } : {}),
      ...(Object.keys(unset).length ? { $unset: unset } : {}),
      ...(Object.keys(defaults).length ? { $setOnInsert: defaults } : {}),
    }),
    versioned: true,
  };
}

function withoutKeys(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
}
