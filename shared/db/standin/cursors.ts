/**
 * Server-side cursors: a result list or a lazy source (documents read from the store page by
 * page as the client asks for them) handed out in batches by `getMore`. Batches are cut by count
 * and by size (MongoDB caps a reply at 16 MiB of documents).
 */
import { BSON, Long, type Document } from "bson";
import { CommandError } from "./errors";
import { StoredBatch } from "./wire";

/** A document of a result: decoded, or BSON bytes already (see raw-bson.ts). */
type ResultDoc = Document | Uint8Array;

/** A find's first batch defaults to 101 documents, like the server. */
export const DEFAULT_FIRST_BATCH = 101;
const MAX_BATCH_BYTES = 15 * 1024 * 1024;

/** Idle cursors are reaped after 10 minutes, the server's default `cursorTimeoutMillis`. */
const CURSOR_TIMEOUT_MS = 10 * 60 * 1000;
const SWEEP_EVERY_MS = 60 * 1000;

interface OpenCursor {
  ns: string;
  source: Iterator<ResultDoc>;
  /** the next document, read ahead so a batch knows whether it is the last */
  next: IteratorResult<ResultDoc>;
  lastUsedMs: number;
}

export class CursorRegistry {
  private readonly open = new Map<number, OpenCursor>();
  private nextId = 1;
  private lastSweepMs = Date.now();

  /** Drops cursors nobody has asked for in CURSOR_TIMEOUT_MS (a client that died mid-iteration). */
  private sweep(nowMs: number): void {
    if (nowMs - this.lastSweepMs < SWEEP_EVERY_MS) return;
    this.lastSweepMs = nowMs;
    for (const [id, c] of this.open) if (nowMs - c.lastUsedMs > CURSOR_TIMEOUT_MS) this.open.delete(id);
  }

  /** Takes a batch of at most `max` documents (and at most ~16 MiB). */
  private takeBatch(c: OpenCursor, max: number): Document[] | StoredBatch {
    const out: ResultDoc[] = [];
    let bytes = 0;
    let stored = false;
    while (!c.next.done && out.length < max) {
      const d = c.next.value;
      const isBytes = d instanceof Uint8Array;
      // Size accounting only matters for big unbounded batches; skip its cost for small ones.
      if (max > 1000) {
        bytes += (isBytes ? d.byteLength : BSON.calculateObjectSize(d)) + 12; // + array key and type byte
        if (bytes > MAX_BATCH_BYTES && out.length > 0) break;
      }
      stored ||= isBytes;
      out.push(d);
      c.next = c.source.next();
    }
    return stored ? new StoredBatch(out) : (out as Document[]);
  }

  /**
   * Builds a `{ cursor: { firstBatch, id, ns } }` reply, keeping the rest open unless `singleBatch`.
   * `batchSize` 0 gives an empty first batch (cursor left open); undefined means no count limit.
   */
  first(ns: string, docs: Iterable<ResultDoc>, batchSize: number | undefined, singleBatch = false): Document {
    const now = Date.now();
    this.sweep(now);
    const source = docs[Symbol.iterator]();
    const c: OpenCursor = { ns, source, next: source.next(), lastUsedMs: now };
    const firstBatch = this.takeBatch(c, batchSize === undefined || batchSize < 0 ? Infinity : batchSize);
    let id = 0;
    if (!singleBatch && !c.next.done) {
      id = this.nextId++;
      this.open.set(id, c);
    }
    return { cursor: { firstBatch, id: Long.fromNumber(id), ns }, ok: 1 };
  }

  getMore(id: number, ns: string, batchSize: number | undefined): Document {
    const c = this.open.get(id);
    if (!c) throw new CommandError("CursorNotFound", `cursor id ${id} not found`);
    if (c.ns !== ns) throw new CommandError("IllegalOperation", `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${c.ns}`);
    c.lastUsedMs = Date.now();
    const nextBatch = this.takeBatch(c, batchSize && batchSize > 0 ? batchSize : Infinity);
    let outId = id;
    if (c.next.done) {
      this.open.delete(id);
      outId = 0;
    }
    return { cursor: { nextBatch, id: Long.fromNumber(outId), ns }, ok: 1 };
  }

  kill(ids: number[]): Document {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) (this.open.delete(id) ? killed : notFound).push(Long.fromNumber(id));
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  }

  /** Drops every cursor (after a failed commit, their sources may describe rolled-back state). */
  killAll(): void {
    this.open.clear();
  }

  /** Drops cursors on a namespace (after drop/dropDatabase), as the server kills them. */
  killNamespace(prefix: string): void {
    for (const [id, c] of this.open) if (c.ns === prefix || c.ns.startsWith(prefix + ".")) this.open.delete(id);
  }

  get size(): number {
    return this.open.size;
  }
}
