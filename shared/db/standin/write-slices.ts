/**
 * Large write commands run in slices: an insert, update or delete with more than SLICE_STATEMENTS
 * statements is cut into slices of that many, one per group commit, so that small writes from
 * other connections get in between instead of waiting behind thousands of statements (the rollup
 * drain sends up to 5,000 updates at once). MongoDB gives no more atomicity than this either:
 * each statement is atomic, a bulk write is not, and other clients may read between statements.
 * The client gets one reply, after the last slice is committed, equal to what one run would have
 * answered. Pure: no I/O.
 */
import type { Document } from "bson";

export const SLICE_STATEMENTS = 500;

/** The statements field of each write command. */
const STATEMENTS: Record<string, string> = { insert: "documents", update: "updates", delete: "deletes" };

export interface SlicedWrite {
  /** the command body of each slice, in order */
  slices: Document[];
  /** index of each slice's first statement in the whole command */
  offsets: number[];
  ordered: boolean;
}

/** The slices of `body`, or null when it is not a write command longer than `size` statements. */
export function sliceWrite(body: Document, size = SLICE_STATEMENTS): SlicedWrite | null {
  const name = Object.keys(body)[0];
  const field = name === undefined ? undefined : STATEMENTS[name];
  if (!field) return null;
  const all = body[field] as unknown;
  if (!Array.isArray(all) || all.length <= size) return null;
  const slices: Document[] = [];
  const offsets: number[] = [];
  for (let i = 0; i < all.length; i += size) {
    slices.push({ ...body, [field]: all.slice(i, i + size) });
    offsets.push(i);
  }
  return { slices, offsets, ordered: body.ordered !== false };
}

/**
 * Whether the slices after this reply must not run: a command error (ok 0) ends the command, and
 * an ordered write stops at its first write error.
 */
export function stopsAfter(reply: Document, ordered: boolean): boolean {
  return reply.ok !== 1 || (ordered && Array.isArray(reply.writeErrors) && reply.writeErrors.length > 0);
}

/**
 * One reply for the slices that ran: counts added, statement indexes shifted by their slice's
 * offset. A command error of a later slice is answered as it is (as one run would have stopped there).
 */
export function mergeReplies(replies: Document[], offsets: number[]): Document {
  const failed = replies.find((r) => r.ok !== 1);
  if (failed) return failed;
  let n = 0;
  let nModified: number | undefined;
  const upserted: Document[] = [];
  const writeErrors: Document[] = [];
  replies.forEach((r, k) => {
    const shift = offsets[k]!;
    n += Number(r.n ?? 0);
    if (r.nModified !== undefined) nModified = (nModified ?? 0) + Number(r.nModified);
    for (const u of (r.upserted as Document[] | undefined) ?? []) upserted.push({ ...u, index: Number(u.index) + shift });
    for (const e of (r.writeErrors as Document[] | undefined) ?? []) writeErrors.push({ ...e, index: Number(e.index) + shift });
  });
  const out: Document = { n };
  if (nModified !== undefined) out.nModified = nModified;
  if (upserted.length) out.upserted = upserted;
  if (writeErrors.length) out.writeErrors = writeErrors;
  out.ok = 1;
  return out;
}
