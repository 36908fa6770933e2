/**
 * The TCP side: accepts connections, cuts the byte stream into messages by their length prefix,
 * runs each command and writes the reply. One store and one cursor registry per stand-in.
 *
 * Group commit: the messages that arrive in one event-loop turn (on any connection, in order) are
 * run together at the end of the turn inside one write transaction of the store; the replies go
 * out only after that transaction is committed, i.e. on disk. So no client is told of a write
 * that is not durable, and concurrent writers share one fsync. When the commit fails, every
 * command of the group is answered with an error and nothing of them is kept. Reads (find,
 * getMore, count, an aggregation without $out/$merge, ...) are answered at once from the committed
 * state, before the group runs, so they never wait for an fsync; long writes run in slices
 * (write-slices.ts) and index builds in steps, one per group commit.
 */
import net from "node:net";
import type { Document } from "bson";
import { createIndexesInSteps, isReadOnlyCommand, MAX_MESSAGE_SIZE_BYTES, runCommand } from "./commands";
import { CursorRegistry } from "./cursors";
import { asCommandError, CommandError } from "./errors";
import { BUILD_STEP_DOCS, type Store } from "./store";
import { encodeMsg, encodeReply, OP_QUERY, parseMessage, type WireRequest } from "./wire";
import { mergeReplies, sliceWrite, stopsAfter, type SlicedWrite } from "./write-slices";

export interface StandinServerOptions {
  host: string;
  port: number;
  onLog: (msg: string) => void;
  store: Store;
}

interface Queued {
  socket: net.Socket;
  message: Buffer;
  connectionId: number;
}

/** A queued message, parsed (or why it could not be). */
interface Parsed extends Queued {
  req: WireRequest | Error;
}

/**
 * A command that runs in steps, one per group commit: a long write in slices (write-slices.ts)
 * or an index build (`createIndexesInSteps`). `step` runs inside the group's transaction and
 * returns the reply once the command is done.
 */
interface Continuing {
  socket: net.Socket;
  requestId: number;
  step(): Document | undefined;
  /** what the client is told when a group's commit fails while the command goes on */
  failed(reason: string): string;
}

/** One reply of a group, sent once the group is committed; none while a sliced write goes on. */
interface Outgoing {
  socket: net.Socket;
  reply: Buffer | undefined;
}

export class StandinServer {
  readonly store: Store;
  readonly cursors = new CursorRegistry();
  private queue: Queued[] = [];
  private continuing: Continuing[] = [];
  private scheduled = false;
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private nextConnectionId = 1;

  constructor(private readonly opts: StandinServerOptions) {
    this.store = opts.store;
    this.server = net.createServer((socket) => this.accept(socket));
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.opts.port, this.opts.host, () => {
        this.server.off("error", reject);
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    this.runQueued();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    const connectionId = this.nextConnectionId++;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    /** length of the message at the head of `pending`, once its 4-byte prefix has arrived */
    let needed = 0;
    socket.on("data", (chunk: Buffer) => {
      pending.push(chunk);
      pendingBytes += chunk.length;
      // Concatenate only when a whole message is there: joining on every chunk of a 48 MB
      // insert batch would copy quadratically.
      if (pendingBytes < 4 || (needed > 0 && pendingBytes < needed)) return;
      const buf = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
      let offset = 0;
      needed = 0;
      while (buf.length - offset >= 4) {
        const len = buf.readInt32LE(offset);
        if (len < 16 || len > MAX_MESSAGE_SIZE_BYTES) {
          this.opts.onLog(`mongo stand-in: dropping connection ${connectionId}, bad message length ${len}`);
          socket.destroy();
          return;
        }
        if (buf.length - offset < len) {
          needed = len;
          break;
        }
        this.queue.push({ socket, message: buf.subarray(offset, offset + len), connectionId });
        offset += len;
      }
      const rest = buf.subarray(offset);
      pending = rest.length ? [rest] : [];
      pendingBytes = rest.length;
      this.schedule();
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => this.sockets.delete(socket));
  }

  private schedule(): void {
    if (this.scheduled || (this.queue.length === 0 && this.continuing.length === 0)) return;
    this.scheduled = true;
    setImmediate(() => this.runQueued());
  }

  /**
   * Answers the turn's reads at once from the committed state; runs its other messages, then one
   * slice of each sliced write still going on, in one transaction; then sends their replies (or
   * errors when the commit failed).
   */
  private runQueued(): void {
    this.scheduled = false;
    const queued = this.queue;
    const continuing = this.continuing;
    if (queued.length === 0 && continuing.length === 0) return;
    this.queue = [];
    this.continuing = [];
    const batch: Parsed[] = [];
    // a read behind a write of its own connection (w:0 writes are not waited for) stays behind it
    const writing = new Set<number>();
    for (const q of queued) {
      const p = { ...q, req: parseSafely(q.message) };
      if (!writing.has(q.connectionId) && isRead(p.req)) {
        const reply = this.handleSafely(p);
        if (reply && !q.socket.destroyed) q.socket.write(reply);
      } else {
        writing.add(q.connectionId);
        batch.push(p);
      }
    }
    if (batch.length === 0 && continuing.length === 0) return;
    let out: Outgoing[];
    try {
      out = this.store.transaction(() => [
        ...batch.map((q) => this.handleQueued(q)),
        ...continuing.map((c) => this.nextStep(c)),
      ]);
    } catch (err) {
      this.opts.onLog(`mongo stand-in: commit failed, the writes of this group were rolled back: ${(err as Error).stack ?? String(err)}`);
      this.cursors.killAll();
      // A sliced write stops here too; the slices committed before this group stay.
      this.continuing = [];
      const reason = `the embedded store could not commit to disk (${(err as Error).message})`;
      const failure = new CommandError("InternalError", `${reason}; nothing of this request was kept`).toReply();
      out = [
        ...batch.map((q) => ({ socket: q.socket, reply: (q.message.readInt32LE(12) === OP_QUERY ? encodeReply : encodeMsg)(q.message.readInt32LE(4), failure) })),
        ...continuing.map((c) => ({ socket: c.socket, reply: encodeMsg(c.requestId, new CommandError("InternalError", c.failed(reason)).toReply()) })),
      ];
    }
    for (const o of out) if (o.reply && !o.socket.destroyed) o.socket.write(o.reply);
    this.schedule();
  }

  private handleQueued(q: Parsed): Outgoing {
    return { socket: q.socket, reply: this.handleSafely(q) };
  }

  /** Runs the next step of a command that runs in steps; its reply once the last one has run. */
  private nextStep(c: Continuing): Outgoing {
    let reply: Document | undefined;
    try {
      reply = c.step();
    } catch (err) {
      this.opts.onLog(`mongo stand-in: internal error: ${(err as Error).stack ?? String(err)}`);
      reply = new CommandError("InternalError", `embedded stand-in internal error: ${(err as Error).message}`).toReply();
    }
    if (!reply) this.continuing.push(c);
    return { socket: c.socket, reply: reply && encodeMsg(c.requestId, reply) };
  }

  /** A long write, one slice per step; one reply, merged, after the last slice. */
  private slicedWrite(socket: net.Socket, requestId: number, write: SlicedWrite, db: string, connectionId: number): Continuing {
    const replies: Document[] = [];
    return {
      socket,
      requestId,
      step: () => {
        const reply = this.runSafely(write.slices[replies.length]!, db, connectionId);
        replies.push(reply);
        const done = replies.length === write.slices.length || stopsAfter(reply, write.ordered);
        return done ? mergeReplies(replies, write.offsets) : undefined;
      },
      failed: (reason) => `${reason}; of this write, the statements before this group's slice were kept, none after`,
    };
  }

  /** createIndexes, BUILD_STEP_DOCS documents per step (a bad spec: its error at the first). */
  private indexBuild(socket: net.Socket, requestId: number, body: Document, db: string, connectionId: number): Continuing {
    let step: (maxDocs: number) => Document | undefined;
    try {
      step = createIndexesInSteps(body, { store: this.store, cursors: this.cursors, connectionId, db });
    } catch (err) {
      const reply = asCommandError(err).toReply();
      step = () => reply;
    }
    return {
      socket,
      requestId,
      step: () => step(BUILD_STEP_DOCS),
      failed: (reason) => `${reason}; the index build stopped and will be taken up again by the next createIndexes of the same index`,
    };
  }

  private runSafely(body: Document, db: string, connectionId: number): Document {
    try {
      return runCommand(body, { store: this.store, cursors: this.cursors, connectionId, db });
    } catch (err) {
      this.opts.onLog(`mongo stand-in: internal error: ${(err as Error).stack ?? String(err)}`);
      return new CommandError("InternalError", `embedded stand-in internal error: ${(err as Error).message}`).toReply();
    }
  }

  /** A bug or an unencodable reply must cost one request, not the process. */
  private handleSafely(q: Parsed): Buffer | undefined {
    const message = q.message;
    try {
      return this.handle(q);
    } catch (err) {
      this.opts.onLog(`mongo stand-in: internal error: ${(err as Error).stack ?? String(err)}`);
      const reply = new CommandError("InternalError", `embedded stand-in internal error: ${(err as Error).message}`).toReply();
      return message.readInt32LE(12) === OP_QUERY ? encodeReply(message.readInt32LE(4), reply) : encodeMsg(message.readInt32LE(4), reply);
    }
  }

  private handle(q: Parsed): Buffer | undefined {
    const { req, connectionId, socket } = q;
    if (req instanceof Error) {
      this.opts.onLog(`mongo stand-in: unparsable message: ${req.message}`);
      return encodeMsg(q.message.readInt32LE(4), new CommandError("FailedToParse", String(req.message)).toReply());
    }
    const base = { store: this.store, cursors: this.cursors, connectionId };
    switch (req.kind) {
      case "msg": {
        const db = typeof req.body.$db === "string" ? req.body.$db : "admin";
        // Not for w:0 (moreToCome): the driver sends the next message without waiting, which
        // must not overtake the remaining slices.
        const write = req.moreToCome ? null : sliceWrite(req.body);
        if (write) {
          // the first slice now, the others in the next groups; one reply after the last
          return this.nextStep(this.slicedWrite(socket, req.requestId, write, db, connectionId)).reply;
        }
        if (!req.moreToCome && Object.keys(req.body)[0] === "createIndexes" && req.body.txnNumber === undefined) {
          return this.nextStep(this.indexBuild(socket, req.requestId, req.body, db, connectionId)).reply;
        }
        const reply = runCommand(req.body, { ...base, db });
        return req.moreToCome ? undefined : encodeMsg(req.requestId, reply);
      }
      case "query": {
        const db = req.fullCollectionName.split(".")[0] ?? "admin";
        return encodeReply(req.requestId, runCommand(req.query as Document, { ...base, db }));
      }
      default:
        return encodeMsg(req.requestId, new CommandError("NotImplemented", `opcode ${req.opCode} is not supported by the embedded stand-in`).toReply());
    }
  }
}

function parseSafely(message: Buffer): WireRequest | Error {
  try {
    return parseMessage(message);
  } catch (err) {
    return err as Error;
  }
}

/** A message that only reads (a w:0 message is always a write). */
function isRead(req: WireRequest | Error): boolean {
  if (req instanceof Error) return false;
  if (req.kind === "msg") return !req.moreToCome && isReadOnlyCommand(req.body);
  if (req.kind === "query") return isReadOnlyCommand(req.query as Document);
  return false;
}
