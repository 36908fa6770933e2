/**
 * MongoDB wire protocol framing: parses OP_MSG (body and document-sequence sections) and legacy
 * OP_QUERY, and encodes OP_MSG and OP_REPLY responses. See the "OP_MSG" spec in
 * mongodb/specifications (source/message/OP_MSG.md) and the server's wire protocol reference.
 * The 7.x driver sends its first `isMaster` of every connection as OP_QUERY on `admin.$cmd`
 * (it does not know the server's wire version yet) and expects OP_REPLY; everything after is OP_MSG.
 */
import { BSON, type Document } from "bson";

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

const FLAG_CHECKSUM_PRESENT = 1 << 0;
const FLAG_MORE_TO_COME = 1 << 1;

export type WireRequest =
  | { kind: "msg"; requestId: number; body: Document; moreToCome: boolean }
  | { kind: "query"; requestId: number; fullCollectionName: string; query: Document }
  | { kind: "unsupported"; requestId: number; opCode: number };

const DESERIALIZE_OPTS = { validation: { utf8: false } } as const;

/** Parses one complete message (the buffer holds exactly `messageLength` bytes). */
export function parseMessage(buf: Buffer): WireRequest {
  const requestId = buf.readInt32LE(4);
  const opCode = buf.readInt32LE(12);
  if (opCode === OP_MSG) {
    const flags = buf.readUInt32LE(16);
    const end = buf.length - (flags & FLAG_CHECKSUM_PRESENT ? 4 : 0);
    let pos = 20;
    let body: Document | undefined;
    const sequences: Array<[string, Document[]]> = [];
    while (pos < end) {
      const kind = buf[pos++];
      if (kind === 0) {
        const size = buf.readInt32LE(pos);
        body = BSON.deserialize(buf.subarray(pos, pos + size), DESERIALIZE_OPTS);
        pos += size;
      } else if (kind === 1) {
        const size = buf.readInt32LE(pos);
        const secEnd = pos + size;
        let p = pos + 4;
        const nul = buf.indexOf(0, p);
        const id = buf.toString("utf8", p, nul);
        p = nul + 1;
        const docs: Document[] = [];
        while (p < secEnd) {
          const dsize = buf.readInt32LE(p);
          docs.push(BSON.deserialize(buf.subarray(p, p + dsize), DESERIALIZE_OPTS));
          p += dsize;
        }
        sequences.push([id, docs]);
        pos = secEnd;
      } else {
        throw new Error(`OP_MSG: unknown section kind ${kind}`);
      }
    }
    if (!body) throw new Error("OP_MSG without a body section");
    // Document sequences are equivalent to array fields of the body (OP_MSG spec).
    for (const [id, docs] of sequences) body[id] = docs;
    return { kind: "msg", requestId, body, moreToCome: (flags & FLAG_MORE_TO_COME) !== 0 };
  }
  if (opCode === OP_QUERY) {
    let pos = 20; // after header and flags
    const nul = buf.indexOf(0, pos);
    const fullCollectionName = buf.toString("utf8", pos, nul);
    pos = nul + 1 + 8; // numberToSkip, numberToReturn
    const size = buf.readInt32LE(pos);
    let query = BSON.deserialize(buf.subarray(pos, pos + size), DESERIALIZE_OPTS);
    // Drivers may wrap commands as { $query: cmd, $readPreference } on OP_QUERY.
    if (query.$query && typeof query.$query === "object") query = query.$query as Document;
    return { kind: "query", requestId, fullCollectionName, query };
  }
  return { kind: "unsupported", requestId, opCode };
}

let nextResponseId = 1;

/**
 * A cursor batch some of whose documents are BSON bytes already (a find answered from the stored
 * bytes, raw-bson.ts): the reply writes those bytes as they are instead of decoding them.
 */
export class StoredBatch {
  constructor(readonly docs: ReadonlyArray<Document | Uint8Array>) {}
}

const SERIALIZE_OPTS = { ignoreUndefined: true } as const;

function isPlainDoc(v: unknown): v is Document {
  return v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;
}

/** Whether a reply holds a StoredBatch (in a field or a plain sub-document, as `cursor.firstBatch`). */
function holdsStored(doc: Document): boolean {
  for (const k in doc) {
    const v = doc[k];
    if (v instanceof StoredBatch || (isPlainDoc(v) && holdsStored(v))) return true;
  }
  return false;
}

/** The bytes of one element `name: value` as bson writes it (type, name, value). */
function elementBytes(name: string, value: unknown): Buffer {
  const one = BSON.serialize({ [name]: value }, SERIALIZE_OPTS);
  return Buffer.from(one.buffer, one.byteOffset + 4, one.byteLength - 5);
}

/** Element header: type byte, name, NUL. */
function elementHead(type: number, name: string): Buffer {
  const len = Buffer.byteLength(name);
  const h = Buffer.allocUnsafe(len + 2);
  h[0] = type;
  h.write(name, 1);
  h[len + 1] = 0;
  return h;
}

/** A document as bson would write it, except that StoredBatch fields are written by hand. */
function encodeWithStored(doc: Document): Buffer {
  const parts: Buffer[] = [Buffer.alloc(4)];
  for (const k of Object.keys(doc)) {
    const v = doc[k];
    if (v === undefined) continue;
    if (v instanceof StoredBatch) parts.push(elementHead(0x04, k), encodeBatch(v));
    else if (isPlainDoc(v) && holdsStored(v)) parts.push(elementHead(0x03, k), encodeWithStored(v));
    else parts.push(elementBytes(k, v));
  }
  parts.push(Buffer.alloc(1));
  const out = Buffer.concat(parts);
  out.writeInt32LE(out.length, 0);
  return out;
}

/** A BSON array of documents: `{"0": doc, "1": doc, ...}`, stored bytes copied as they are. */
function encodeBatch(batch: StoredBatch): Buffer {
  const docs = batch.docs.map((d) => (d instanceof Uint8Array ? d : BSON.serialize(d, SERIALIZE_OPTS)));
  let size = 4 + 1;
  for (let i = 0; i < docs.length; i++) size += 2 + String(i).length + docs[i]!.byteLength;
  const out = Buffer.allocUnsafe(size);
  out.writeInt32LE(size, 0);
  let w = 4;
  for (let i = 0; i < docs.length; i++) {
    out[w++] = 0x03;
    w += out.write(String(i), w, "latin1");
    out[w++] = 0;
    out.set(docs[i]!, w);
    w += docs[i]!.byteLength;
  }
  out[w] = 0;
  return out;
}

/**
 * bson serializes into a shared 17 MiB buffer by default; a full 16 MiB batch plus array keys can
 * exceed it, so retry into a buffer of the exact size.
 */
function serializeReply(doc: Document): Uint8Array {
  if (holdsStored(doc)) return encodeWithStored(doc);
  try {
    return BSON.serialize(doc, { ignoreUndefined: true });
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    const out = Buffer.allocUnsafe(BSON.calculateObjectSize(doc, { ignoreUndefined: true }));
    BSON.serializeWithBufferAndIndex(doc, out, { ignoreUndefined: true });
    return out;
  }
}

function header(total: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.allocUnsafe(16);
  h.writeInt32LE(total, 0);
  h.writeInt32LE(nextResponseId++ & 0x7fffffff, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

/** OP_MSG with a single body section. */
export function encodeMsg(responseTo: number, doc: Document): Buffer {
  const body = serializeReply(doc);
  const total = 16 + 4 + 1 + body.length;
  const prefix = Buffer.allocUnsafe(5);
  prefix.writeUInt32LE(0, 0);
  prefix[4] = 0;
  return Buffer.concat([header(total, responseTo, OP_MSG), prefix, body], total);
}

/** OP_REPLY carrying one document (the answer to an OP_QUERY command). */
export function encodeReply(responseTo: number, doc: Document): Buffer {
  const body = serializeReply(doc);
  const total = 16 + 20 + body.length;
  const fields = Buffer.alloc(20);
  fields.writeInt32LE(0, 0); // responseFlags
  // cursorID (8 bytes) = 0, startingFrom = 0
  fields.writeInt32LE(1, 16); // numberReturned
  return Buffer.concat([header(total, responseTo, OP_REPLY), fields, body], total);
}
