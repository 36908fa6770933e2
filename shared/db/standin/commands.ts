/**
 * Command handlers: one function per MongoDB command, taking the command document and returning
 * the reply document. Framing lives in wire.ts / server.ts, semantics in store/matching/updating.
 */
import { Long } from "bson";
import { runAggregate } from "./aggregate";
import { CursorRegistry, DEFAULT_FIRST_BATCH } from "./cursors";
import { CommandError, asCommandError } from "./errors";
import { canonicalKey, valuesAtPath } from "./index-keys";
import { compileFilter, runFind, type Doc } from "./matching";
import { iterateFindStored, matchingParts, type FoundDoc } from "./raw-bson";
import { Collection, type IndexBuild, type Store } from "./store";
import { applyUpdate, buildUpsertDocument, isOperatorUpdate, isPipelineUpdate, validateUpdate } from "./updating";

export const SERVER_VERSION = "7.0.0-standin";
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
export const MAX_MESSAGE_SIZE_BYTES = 48_000_000;
export const MAX_WRITE_BATCH_SIZE = 100_000;

export interface CommandContext {
  store: Store;
  cursors: CursorRegistry;
  db: string;
  connectionId: number;
}

type Handler = (cmd: Doc, ctx: CommandContext) => Doc;

function num(v: unknown, fallback = 0): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (Long.isLong(v)) return v.toNumber();
  const n = Number((v as { valueOf(): unknown }).valueOf());
  return Number.isNaN(n) ? fallback : n;
}

function collName(cmd: Doc, key: string): string {
  const v = cmd[key];
  if (typeof v !== "string" || v.length === 0) {
    throw new CommandError("InvalidNamespace", `collection name has invalid type ${v === null ? "null" : typeof v}`);
  }
  return v;
}

const hello: Handler = (_cmd, ctx) => ({
  helloOk: true,
  ismaster: true,
  isWritablePrimary: true,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
  maxWriteBatchSize: MAX_WRITE_BATCH_SIZE,
  localTime: new Date(),
  logicalSessionTimeoutMinutes: 30,
  connectionId: ctx.connectionId,
  minWireVersion: 0,
  maxWireVersion: 21,
  readOnly: false,
  ok: 1,
});

const insert: Handler = (cmd, ctx) => {
  const docs = cmd.documents as Doc[] | undefined;
  if (!Array.isArray(docs)) throw new CommandError("FailedToParse", "BSON field 'insert.documents' is missing but a required field");
  const coll = ctx.store.db(ctx.db).ensure(collName(cmd, "insert"));
  const ordered = cmd.ordered !== false;
  const writeErrors: Doc[] = [];
  let n = 0;
  for (let i = 0; i < docs.length; i++) {
    try {
      coll.insert(docs[i]!);
      n++;
    } catch (err) {
      writeErrors.push(asCommandError(err).toWriteError(i));
      if (ordered) break;
    }
  }
  return writeErrors.length ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
};

const update: Handler = (cmd, ctx) => {
  const updates = cmd.updates as Doc[] | undefined;
  if (!Array.isArray(updates)) throw new CommandError("FailedToParse", "BSON field 'update.updates' is missing but a required field");
  const coll = ctx.store.db(ctx.db).ensure(collName(cmd, "update"));
  const ordered = cmd.ordered !== false;
  const writeErrors: Doc[] = [];
  const upserted: Doc[] = [];
  let n = 0;
  let nModified = 0;
  for (let i = 0; i < updates.length; i++) {
    const spec = updates[i]!;
    try {
      const q = (spec.q ?? {}) as Doc;
      const u = spec.u as Doc | Doc[];
      if (u === undefined || u === null || typeof u !== "object") throw new CommandError("FailedToParse", "BSON field 'update.updates.u' is missing but a required field");
      validateUpdate(u);
      const multi = spec.multi === true;
      if (multi && !isOperatorUpdate(u) && !isPipelineUpdate(u)) {
        throw new CommandError("FailedToParse", "multi update is not supported for replacement-style update");
      }
      const arrayFilters = spec.arrayFilters as Doc[] | undefined;
      const matched = multi ? coll.match(q) : matchOne(coll, q, spec.sort as Doc | undefined);
      if (matched.length === 0) {
        if (spec.upsert === true) {
          const doc = coll.insert(buildUpsertDocument(q, u, arrayFilters));
          n++;
          upserted.push({ index: i, _id: doc._id });
        }
        continue;
      }
      for (const d of matched) {
        const { doc, modified } = applyUpdate(d, u, { filter: q, arrayFilters });
        n++;
        if (modified) {
          coll.replace(d, doc);
          nModified++;
        }
      }
    } catch (err) {
      writeErrors.push(asCommandError(err).toWriteError(i));
      if (ordered) break;
    }
  }
  const reply: Doc = { n, nModified };
  if (upserted.length) reply.upserted = upserted;
  if (writeErrors.length) reply.writeErrors = writeErrors;
  reply.ok = 1;
  return reply;
};

function matchOne(coll: Collection, q: Doc, sort?: Doc): Doc[] {
  if (sort && Object.keys(sort).length) return runFind(coll.candidates(q), q, { sort, limit: 1 });
  return coll.match(q, 1);
}

const del: Handler = (cmd, ctx) => {
  const deletes = cmd.deletes as Doc[] | undefined;
  if (!Array.isArray(deletes)) throw new CommandError("FailedToParse", "BSON field 'delete.deletes' is missing but a required field");
  const coll = ctx.store.db(ctx.db).get(collName(cmd, "delete"));
  const ordered = cmd.ordered !== false;
  const writeErrors: Doc[] = [];
  let n = 0;
  for (let i = 0; i < deletes.length; i++) {
    const spec = deletes[i]!;
    try {
      const limit = num(spec.limit);
      if (limit !== 0 && limit !== 1) throw new CommandError("FailedToParse", "The limit field in delete objects must be 0 or 1. Got " + limit);
      if (!coll) continue;
      for (const d of coll.match((spec.q ?? {}) as Doc, limit === 1 ? 1 : Infinity)) {
        coll.remove(d);
        n++;
      }
    } catch (err) {
      writeErrors.push(asCommandError(err).toWriteError(i));
      if (ordered) break;
    }
  }
  return writeErrors.length ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
};

const find: Handler = (cmd, ctx) => {
  const name = collName(cmd, "find");
  const ns = `${ctx.db}.${name}`;
  const coll = ctx.store.db(ctx.db).get(name);
  let limit = num(cmd.limit);
  let singleBatch = cmd.singleBatch === true;
  if (limit < 0) {
    limit = -limit;
    singleBatch = true;
  }
  const skip = num(cmd.skip);
  if (skip < 0) throw new CommandError("BadValue", "BSON field 'skip' value must be >= 0, actual value '" + skip + "'");
  const filter = cmd.filter as Doc | undefined;
  const sort = cmd.sort as Doc | undefined;
  const projection = cmd.projection as Doc | undefined;
  let docs: Iterable<FoundDoc> = [];
  // Unsorted, or in index order when an index gives the sort: read lazily, stopping at the
  // limit, answered from the stored bytes where it can (raw-bson.ts); a sort in memory decodes.
  if (coll && sort && Object.keys(sort).length > 0) {
    const ordered = coll.storedSortedCandidates(filter, sort);
    docs = ordered ? iterateFindStored(ordered, filter, { projection, skip, limit }) : runFind(coll.candidates(filter), filter, { projection, sort, skip, limit });
  } else if (coll) docs = iterateFindStored(coll.storedCandidates(filter), filter, { projection, skip, limit });
  const batchSize = cmd.batchSize === undefined ? DEFAULT_FIRST_BATCH : num(cmd.batchSize);
  return ctx.cursors.first(ns, docs, batchSize, singleBatch);
};

const getMore: Handler = (cmd, ctx) => {
  const id = num(cmd.getMore);
  const ns = `${ctx.db}.${collName(cmd, "collection")}`;
  return ctx.cursors.getMore(id, ns, cmd.batchSize === undefined ? undefined : num(cmd.batchSize));
};

const killCursors: Handler = (cmd, ctx) => {
  collName(cmd, "killCursors");
  const ids = ((cmd.cursors ?? []) as unknown[]).map((v) => num(v));
  return ctx.cursors.kill(ids);
};

const findAndModify: Handler = (cmd, ctx) => {
  const coll = ctx.store.db(ctx.db).ensure(collName(cmd, "findAndModify"));
  const query = (cmd.query ?? {}) as Doc;
  const remove = cmd.remove === true;
  const u = cmd.update as Doc | Doc[] | undefined;
  if (remove && u !== undefined) throw new CommandError("FailedToParse", "Cannot specify both an update and remove=true");
  if (!remove && u === undefined) throw new CommandError("FailedToParse", "Either an update or remove=true must be specified");
  if (remove && cmd.upsert === true) throw new CommandError("FailedToParse", "Cannot specify both upsert=true and remove=true");
  const found = matchOne(coll, query, cmd.sort as Doc | undefined)[0];
  const fields = cmd.fields as Doc | undefined;
  const shape = (d: Doc | undefined | null): Doc | null => {
    if (!d) return null;
    if (!fields || Object.keys(fields).length === 0) return d;
    return runFind([d], {}, { projection: fields })[0] ?? null;
  };
  if (remove) {
    if (found) coll.remove(found);
    return { lastErrorObject: { n: found ? 1 : 0 }, value: shape(found), ok: 1 };
  }
  validateUpdate(u!);
  const arrayFilters = cmd.arrayFilters as Doc[] | undefined;
  if (found) {
    const { doc, modified } = applyUpdate(found, u!, { filter: query, arrayFilters });
    if (modified) coll.replace(found, doc);
    return { lastErrorObject: { n: 1, updatedExisting: true }, value: shape(cmd.new === true ? doc : found), ok: 1 };
  }
  if (cmd.upsert === true) {
    const doc = coll.insert(buildUpsertDocument(query, u!, arrayFilters));
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
      value: cmd.new === true ? shape(doc) : null,
      ok: 1,
    };
  }
  return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
};

const aggregate: Handler = (cmd, ctx) => {
  const target = cmd.aggregate;
  if (cmd.explain) throw new CommandError("NotImplemented", "explain is not supported by the embedded stand-in");
  const name = target === 1 ? null : collName(cmd, "aggregate");
  const cursorOpt = cmd.cursor as Doc | undefined;
  if (!cursorOpt || typeof cursorOpt !== "object") {
    throw new CommandError("FailedToParse", "The 'cursor' option is required, except for aggregate with the explain argument");
  }
  const { docs } = runAggregate(ctx.store, ctx.db, name, cmd.pipeline as Doc[], cmd.let as Doc | undefined);
  const ns = `${ctx.db}.${name ?? "$cmd.aggregate"}`;
  const batchSize = cursorOpt.batchSize === undefined ? DEFAULT_FIRST_BATCH : num(cursorOpt.batchSize);
  return ctx.cursors.first(ns, docs, batchSize);
};

const count: Handler = (cmd, ctx) => {
  const coll = ctx.store.db(ctx.db).get(collName(cmd, "count"));
  if (!coll) return { n: 0, ok: 1 };
  const query = cmd.query as Doc | undefined;
  const skip = num(cmd.skip);
  const limit = Math.abs(num(cmd.limit));
  let n = Math.max(0, coll.countMatching(query) - skip);
  if (limit > 0) n = Math.min(n, limit);
  return { n, ok: 1 };
};

const distinct: Handler = (cmd, ctx) => {
  const coll = ctx.store.db(ctx.db).get(collName(cmd, "distinct"));
  const key = cmd.key;
  if (typeof key !== "string") throw new CommandError("FailedToParse", "BSON field 'distinct.key' is missing but a required field");
  const seen = new Map<string, unknown>();
  const query = cmd.query as Doc | undefined;
  const fromIndex = coll?.distinctFromIndex(key, query ?? {});
  if (fromIndex) return { values: fromIndex, ok: 1 };
  const parts = coll ? matchingParts(coll.storedCandidates(query), query, [key.split(".")[0]!]) : [];
  for (const d of parts) {
    for (const v of valuesAtPath(d, key)) {
      if (v === undefined) continue;
      const k = canonicalKey(v);
      if (!seen.has(k)) seen.set(k, v);
    }
  }
  return { values: [...seen.values()], ok: 1 };
};

function defaultIndexName(key: Doc): string {
  return Object.entries(key).map(([k, v]) => `${k}_${v}`).join("_");
}

/**
 * createIndexes as a run of steps (server.ts runs one per group commit): the specs are checked
 * and the builds started now; each call of the returned function adds up to
 * `maxDocs` more documents to the builds, in order, and returns the reply once every index is in
 * use. A failing step answers with its error (the failed build removed).
 */
export function createIndexesInSteps(cmd: Doc, ctx: CommandContext): (maxDocs: number) => Doc | undefined {
  const db = ctx.store.db(ctx.db);
  const name = collName(cmd, "createIndexes");
  const specs = cmd.indexes as Doc[] | undefined;
  if (!Array.isArray(specs) || specs.length === 0) throw new CommandError("BadValue", "Must specify at least one index to create");
  const existed = db.get(name) !== undefined;
  const coll = db.ensure(name);
  const before = coll.indexes.size + 1;
  const builds: IndexBuild[] = [];
  try {
    for (const s of specs) {
      if (!s.key || typeof s.key !== "object" || Object.keys(s.key).length === 0) {
        throw new CommandError("FailedToParse", "The 'key' field is a required property of an index specification");
      }
      const { key, name: ixName, unique, sparse, partialFilterExpression, v: _v, background: _bg, ...rest } = s;
      const build = coll.startIndexBuild({
        ...rest,
        name: typeof ixName === "string" ? ixName : defaultIndexName(key as Doc),
        key: key as Doc,
        ...(unique === true ? { unique: true } : {}),
        ...(sparse === true ? { sparse: true } : {}),
        ...(partialFilterExpression ? { partialFilterExpression: partialFilterExpression as Doc } : {}),
      });
      if (build !== "exists") builds.push(build);
    }
  } catch (err) {
    // as MongoDB: one bad spec and none of the command's indexes is built
    for (const b of builds) coll.abandonIndexBuild(b);
    throw err;
  }
  let k = 0;
  return (maxDocs) => {
    try {
      while (k < builds.length) {
        if (!coll.stepIndexBuild(builds[k]!, maxDocs)) return undefined;
        k++;
      }
    } catch (err) {
      // as MongoDB: the command's indexes stand or fail together, so those it finished go too
      for (const b of builds.slice(0, k)) if (coll.indexes.get(b.ix.spec.name) === b.ix) coll.dropIndex(b.ix.spec.name);
      for (const b of builds.slice(k + 1)) coll.abandonIndexBuild(b);
      return asCommandError(err).toReply();
    }
    const after = coll.indexes.size + 1;
    const reply: Doc = { numIndexesBefore: before, numIndexesAfter: after, createdCollectionAutomatically: !existed };
    if (before === after) reply.note = "all indexes already exist";
    reply.ok = 1;
    return reply;
  };
}

/** In one go (what the server does not run in steps: OP_QUERY, `w: 0`): every step in a row. */
const createIndexes: Handler = (cmd, ctx) => {
  const step = createIndexesInSteps(cmd, ctx);
  let reply: Doc | undefined;
  while (!(reply = step(Infinity)));
  return reply;
};

const listIndexes: Handler = (cmd, ctx) => {
  const name = collName(cmd, "listIndexes");
  const coll = ctx.store.db(ctx.db).get(name);
  if (!coll) throw new CommandError("NamespaceNotFound", `ns does not exist: ${ctx.db}.${name}`);
  const cursor = (cmd.cursor ?? {}) as Doc;
  return ctx.cursors.first(`${ctx.db}.${name}`, coll.listIndexes(), cursor.batchSize === undefined ? undefined : num(cursor.batchSize));
};

const dropIndexes: Handler = (cmd, ctx) => {
  const name = collName(cmd, "dropIndexes");
  const coll = ctx.store.db(ctx.db).get(name);
  if (!coll) throw new CommandError("NamespaceNotFound", `ns not found ${ctx.db}.${name}`);
  const nIndexesWas = coll.indexes.size + 1;
  const which = cmd.index as string | string[] | Doc;
  if (Array.isArray(which)) for (const w of which) coll.dropIndex(w);
  else coll.dropIndex(which);
  return { nIndexesWas, ok: 1 };
};

const listCollections: Handler = (cmd, ctx) => {
  const db = ctx.store.db(ctx.db);
  const nameOnly = cmd.nameOnly === true;
  let infos: Doc[] = [...db.collections.values()].map((c) =>
    nameOnly
      ? { name: c.name, type: "collection" }
      : { name: c.name, type: "collection", options: c.options, info: { readOnly: false }, idIndex: { v: 2, key: { _id: 1 }, name: "_id_" } },
  );
  const filter = cmd.filter as Doc | undefined;
  if (filter && Object.keys(filter).length) {
    const m = compileFilter(filter);
    infos = infos.filter((i) => m.test(i));
  }
  const cursor = (cmd.cursor ?? {}) as Doc;
  return ctx.cursors.first(`${ctx.db}.$cmd.listCollections`, infos, cursor.batchSize === undefined ? undefined : num(cursor.batchSize));
};

const create: Handler = (cmd, ctx) => {
  const name = collName(cmd, "create");
  const db = ctx.store.db(ctx.db);
  if (db.get(name)) throw new CommandError("NamespaceExists", `Collection ${ctx.db}.${name} already exists.`);
  const { create: _c, $db: _d, lsid: _l, $clusterTime: _t, $readPreference: _r, writeConcern: _w, ...options } = cmd;
  db.ensure(name, options);
  return { ok: 1 };
};

const drop: Handler = (cmd, ctx) => {
  const name = collName(cmd, "drop");
  const db = ctx.store.db(ctx.db);
  const coll = db.get(name);
  // Since 7.0 dropping a missing collection succeeds.
  if (!coll) return { ok: 1 };
  const reply = { nIndexesWas: coll.indexes.size + 1, ns: coll.ns, ok: 1 };
  db.drop(name);
  ctx.cursors.killNamespace(reply.ns);
  return reply;
};

const dropDatabase: Handler = (_cmd, ctx) => {
  ctx.store.dropDatabase(ctx.db);
  ctx.cursors.killNamespace(ctx.db);
  return { dropped: ctx.db, ok: 1 };
};

const renameCollection: Handler = (cmd, ctx) => {
  const from = String(cmd.renameCollection);
  const to = String(cmd.to);
  const [fromDb, ...fromRest] = from.split(".");
  const [toDb, ...toRest] = to.split(".");
  const src = ctx.store.db(fromDb!).get(fromRest.join("."));
  if (!src) throw new CommandError("NamespaceNotFound", "Source collection " + from + " does not exist");
  const dst = ctx.store.db(toDb!);
  const toName = toRest.join(".");
  if (dst.get(toName)) {
    if (cmd.dropTarget !== true) throw new CommandError("NamespaceExists", "target namespace exists");
    dst.drop(toName);
  }
  ctx.cursors.killNamespace(src.ns);
  ctx.store.renameCollection(src, dst.name, toName);
  return { ok: 1 };
};

const listDatabases: Handler = (cmd, ctx) => {
  const databases = [...ctx.store.dbs.values()].map((d) => ({ name: d.name, sizeOnDisk: 0, empty: d.collections.size === 0 }));
  return cmd.nameOnly === true ? { databases: databases.map((d) => ({ name: d.name })), ok: 1 } : { databases, totalSize: 0, totalSizeMb: 0, ok: 1 };
};

const dbStats: Handler = (_cmd, ctx) => {
  const db = ctx.store.db(ctx.db);
  let objects = 0;
  let indexes = 0;
  for (const c of db.collections.values()) {
    objects += c.size;
    indexes += c.indexes.size + 1;
  }
  return { db: ctx.db, collections: db.collections.size, views: 0, objects, indexes, dataSize: 0, storageSize: 0, indexSize: 0, ok: 1 };
};

const buildInfo: Handler = () => ({
  version: SERVER_VERSION,
  versionArray: [7, 0, 0, 0],
  gitVersion: "embedded-standin",
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  storageEngines: ["lmdb"],
  ok: 1,
});

const getParameter: Handler = (cmd) => {
  const reply: Doc = {};
  if (cmd.featureCompatibilityVersion !== undefined || cmd.getParameter === "*") reply.featureCompatibilityVersion = { version: "7.0" };
  reply.ok = 1;
  return reply;
};

const ok: Handler = () => ({ ok: 1 });

const noTransactions: Handler = () => {
  throw new CommandError("IllegalOperation", "Transaction numbers are only allowed on a replica set member or mongos");
};

export const HANDLERS: Record<string, Handler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  ping: ok,
  buildInfo,
  buildinfo: buildInfo,
  endSessions: ok,
  killAllSessions: ok,
  getParameter,
  getCmdLineOpts: () => ({ argv: ["mongod-standin"], parsed: {}, ok: 1 }),
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  whatsmyuri: () => ({ you: "127.0.0.1", ok: 1 }),
  serverStatus: (_cmd, ctx) => ({
    host: "standin",
    version: SERVER_VERSION,
    process: "mongod",
    uptime: process.uptime(),
    // documents read to answer queries, as MongoDB counts them: what shows whether an index served
    metrics: { queryExecutor: { scannedObjects: Long.fromNumber(ctx.store.scannedObjects) } },
    ok: 1,
  }),
  insert,
  update,
  delete: del,
  find,
  getMore,
  killCursors,
  findAndModify,
  findandmodify: findAndModify,
  aggregate,
  count,
  distinct,
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
  listCollections,
  create,
  drop,
  dropDatabase,
  renameCollection,
  listDatabases,
  dbStats,
  commitTransaction: noTransactions,
  abortTransaction: noTransactions,
};

/** Runs one command document against the store; never throws, errors become `{ ok: 0, ... }`. */
/** Commands that change nothing stored (cursors live in memory): see isReadOnlyCommand. */
const READ_ONLY = new Set([
  "hello", "isMaster", "ismaster", "ping", "buildInfo", "buildinfo", "getParameter", "getCmdLineOpts", "connectionStatus", "whatsmyuri",
  "serverStatus", "find", "getMore", "killCursors", "count", "distinct", "listIndexes", "listCollections", "listDatabases", "dbStats",
  "endSessions", "killAllSessions",
]);

/**
 * Whether a command only reads: the server answers such commands at once from the committed
 * state, outside the group's write transaction, so a read never waits for others' fsync.
 * An aggregation reads unless it ends in `$out` or `$merge`.
 */
export function isReadOnlyCommand(body: Doc): boolean {
  const name = Object.keys(body)[0];
  if (name === "aggregate") {
    const pipeline = body.pipeline as unknown;
    return !(Array.isArray(pipeline) && pipeline.some((stage) => stage !== null && typeof stage === "object" && ("$out" in stage || "$merge" in stage)));
  }
  return name !== undefined && READ_ONLY.has(name) && body.txnNumber === undefined;
}

export function runCommand(body: Doc, ctx: CommandContext): Doc {
  const name = Object.keys(body)[0];
  if (name === undefined) return new CommandError("FailedToParse", "Command document is empty").toReply();
  const handler = Object.prototype.hasOwnProperty.call(HANDLERS, name) ? HANDLERS[name] : undefined;
  if (!handler) return new CommandError("CommandNotFound", `no such command: '${name}'`).toReply();
  if (body.txnNumber !== undefined || body.startTransaction === true) return noTransactionsReply();
  try {
    return handler(body, ctx);
  } catch (err) {
    return asCommandError(err).toReply();
  }
}

function noTransactionsReply(): Doc {
  return new CommandError("IllegalOperation", "Transaction numbers are only allowed on a replica set member or mongos").toReply();
}

