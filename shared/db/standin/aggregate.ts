/**
 * Aggregation: a leading `$match` narrows through the collection's indexes, the rest of the
 * pipeline runs in mingo, and a final `$out` or `$merge` writes through the store (so `_id` and
 * unique indexes are enforced as for any other write).
 */
import { randomBytes } from "node:crypto";
import { Aggregator, ProcessingMode } from "mingo";
import { CommandError } from "./errors";
import { duplicateKeyMessage } from "./index-keys";
import { compileFilter, isPlainObject, type Doc } from "./matching";
import type { Database, Store } from "./store";
import { idFirst } from "./updating";

/** Stages that may write into their input documents under mingo's CLONE_OFF mode. */
const MUTATING_STAGES = new Set(["$addFields", "$set", "$unset", "$replaceRoot", "$replaceWith", "$merge", "$out", "$fill", "$densify", "$setWindowFields", "$redact", "$lookup", "$graphLookup"]);

export interface AggregateResult {
  docs: Doc[];
  /** true when the pipeline ended in $out/$merge (reply with an empty cursor) */
  wrote: boolean;
}

export function runAggregate(store: Store, dbName: string, collName: string | null, pipeline: Doc[], variables?: Doc): AggregateResult {
  if (!Array.isArray(pipeline)) throw new CommandError("TypeMismatch", "'pipeline' option must be specified as an array");
  const db = store.db(dbName);
  const stages = pipeline.slice();
  const last = stages[stages.length - 1];
  let writeStage: Doc | undefined;
  if (last && ("$out" in last || "$merge" in last)) writeStage = stages.pop();

  const counting = collName !== null && !writeStage ? countingPipeline(stages) : undefined;
  if (counting) {
    // What `countDocuments` sends: counted without handing every document to mingo.
    let n = db.get(collName!)?.countMatching(counting.filter) ?? 0;
    for (const step of counting.steps) n = "$skip" in step ? Math.max(0, n - step.$skip) : Math.min(n, step.$limit);
    return { docs: n > 0 ? [{ _id: counting.id, [counting.field]: n }] : [], wrote: false };
  }

  let source: Doc[] = [];
  if (collName !== null) {
    const coll = db.get(collName);
    if (coll) {
      const first = stages[0];
      if (first && isPlainObject(first.$match) && !hasExprOrText(first.$match as Doc)) {
        const m = compileFilter(first.$match as Doc);
        for (const d of coll.candidates(first.$match as Doc)) if (m.test(d)) source.push(d);
        stages.shift();
      } else source = [...coll.scan()];
    }
  }

  const needsClone = stages.some((s) => MUTATING_STAGES.has(Object.keys(s)[0] ?? ""));
  const agg = new Aggregator(stages, {
    processingMode: needsClone ? ProcessingMode.CLONE_INPUT : ProcessingMode.CLONE_OFF,
    variables,
    collectionResolver: (name: string) => [...(db.get(name)?.scan() ?? [])],
  });
  const out = stages.length ? agg.run<Doc>(source) : source;
  if (!writeStage) return { docs: out, wrote: false };
  if ("$out" in writeStage) writeOut(store, db, writeStage.$out, out);
  else writeMerge(store, db, writeStage.$merge as Doc, out);
  return { docs: [], wrote: true };
}

type CountStep = { $skip: number } | { $limit: number };

/**
 * `[{$match}, ({$skip} | {$limit})*, {$group: {_id: <constant>, <field>: {$sum: 1}}}]` (the
 * driver's `countDocuments`), or undefined for any other pipeline.
 */
export function countingPipeline(stages: Doc[]): { filter: Doc; steps: CountStep[]; id: unknown; field: string } | undefined {
  const first = stages[0];
  const last = stages[stages.length - 1];
  if (stages.length < 2 || !isSingleStage(first, "$match") || !isSingleStage(last, "$group")) return undefined;
  const filter = first.$match;
  const group = last.$group;
  if (!isPlainObject(filter) || hasExprOrText(filter) || !isPlainObject(group)) return undefined;
  const steps: CountStep[] = [];
  for (const stage of stages.slice(1, -1)) {
    const [op, v] = Object.entries(stage)[0] ?? [];
    if (Object.keys(stage).length !== 1 || (op !== "$skip" && op !== "$limit") || !Number.isSafeInteger(v) || (v as number) < (op === "$limit" ? 1 : 0)) return undefined;
    steps.push(op === "$skip" ? { $skip: v as number } : { $limit: v as number });
  }
  const entries = Object.entries(group);
  if (entries.length !== 2 || entries[0]![0] !== "_id") return undefined;
  const id = entries[0]![1];
  const [field, acc] = entries[1]!;
  const constantId = id === null || typeof id === "number" || (typeof id === "string" && !id.startsWith("$"));
  if (!constantId || field.startsWith("$") || field.includes(".") || !isPlainObject(acc)) return undefined;
  if (Object.keys(acc).length !== 1 || acc.$sum !== 1) return undefined;
  return { filter, steps, id, field };
}

function isSingleStage(stage: Doc | undefined, name: string): stage is Doc {
  return stage !== undefined && Object.keys(stage).length === 1 && name in stage;
}

function hasExprOrText(filter: Doc): boolean {
  return "$text" in filter;
}

function target(store: Store, db: Database, spec: unknown): { db: Database; coll: string } {
  if (typeof spec === "string") return { db, coll: spec };
  if (isPlainObject(spec) && typeof spec.coll === "string") {
    return { db: typeof spec.db === "string" ? store.db(spec.db) : db, coll: spec.coll };
  }
  throw new CommandError("FailedToParse", "$out/$merge target must be a collection name or { db, coll }");
}

/**
 * `$out`: replaces the target's documents, keeping its indexes (as the server does). The result
 * is built in a temporary collection first, so a failure (a duplicate key) leaves the target as it was.
 */
function writeOut(store: Store, db: Database, spec: unknown, docs: Doc[]): void {
  const t = target(store, db, spec);
  const old = t.db.get(t.coll);
  const tmpName = `tmp.agg_out.${randomBytes(6).toString("hex")}`;
  const fresh = t.db.ensure(tmpName, old?.options);
  try {
    for (const ix of old?.indexes.values() ?? []) fresh.createIndex(ix.spec);
    for (const d of docs) fresh.insert({ ...d });
  } catch (err) {
    t.db.drop(tmpName);
    throw err;
  }
  if (old) t.db.drop(t.coll);
  store.renameCollection(fresh, t.db.name, t.coll);
}

/** `$merge` with `whenMatched` merge|replace|keepExisting|fail and `whenNotMatched` insert|discard|fail. */
function writeMerge(store: Store, db: Database, spec: Doc, docs: Doc[]): void {
  if (!spec || spec.into === undefined) throw new CommandError("FailedToParse", "$merge requires 'into'");
  const t = target(store, db, spec.into);
  const coll = t.db.ensure(t.coll);
  const on: string[] = spec.on === undefined ? ["_id"] : Array.isArray(spec.on) ? (spec.on as string[]) : [spec.on as string];
  const whenMatched = spec.whenMatched ?? "merge";
  const whenNotMatched = spec.whenNotMatched ?? "insert";
  if (typeof whenMatched !== "string") {
    throw new CommandError("NotImplemented", "$merge with a pipeline for whenMatched is not supported by the embedded stand-in");
  }
  for (const d of docs) {
    const filter: Doc = {};
    for (const f of on) filter[f] = d[f] === undefined ? null : d[f];
    const existing = on.length === 1 && on[0] === "_id" ? (d._id === undefined ? undefined : coll.getById(d._id)) : coll.match(filter, 1)[0];
    if (existing) {
      switch (whenMatched) {
        case "replace":
          coll.replace(existing, idFirst({ ...d, _id: existing._id }));
          break;
        case "keepExisting":
          break;
        case "fail":
          throw new CommandError("DuplicateKey", duplicateKeyMessage(coll.ns, "_id_", { _id: existing._id }), { keyPattern: { _id: 1 }, keyValue: { _id: existing._id } });
        case "merge":
          coll.replace(existing, idFirst({ ...existing, ...d, _id: existing._id }));
          break;
        default:
          throw new CommandError("BadValue", `Enumeration value '${whenMatched}' for field 'whenMatched' is not a valid value.`);
      }
    } else {
      if (whenNotMatched === "insert") coll.insert({ ...d });
      else if (whenNotMatched === "fail") throw new CommandError("BadValue", "$merge could not find a matching document in the target collection for at least one document in the source collection");
    }
  }
}
