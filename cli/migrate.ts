/**
 * `npm run cli -- migrate --to mongodb://…`: copies every collection and index of the embedded
 * store into a real MongoDB, after which the operator sets MONGO_URL.
 *
 * - Idempotent: documents are written with `replaceOne(..., {upsert: true})` by `_id`, indexes
 *   with `createIndexes` (an identical index is a no-op), so a second run changes nothing.
 * - Resumable: after each batch the number of documents copied of a collection is recorded in
 *   the target's `undercurrent_migration` collection; a rerun skips that many (the source is read
 *   in its natural order, which does not change while the command holds the store).
 * - Consistent: the command opens DATA_DIR itself, which the running `npm start` would refuse,
 *   so the source cannot change under it. Stop Undercurrent first.
 */
import { SingleBar, Presets } from "cli-progress";
import type { AnyBulkWriteOperation, Document, MongoClient } from "mongodb";

export const CHECKPOINTS = "undercurrent_migration";
const BATCH = 1_000;

export interface MigrateSummary {
  databases: number;
  collections: number;
  indexes: number;
  documents: number;
  /** documents skipped because an earlier run had copied them */
  resumed: number;
}

interface Checkpoint {
  _id: string;
  copied: number;
  done: boolean;
}

export async function migrate(source: MongoClient, target: MongoClient, opts: { progress: boolean; log: (line: string) => void }): Promise<MigrateSummary> {
  const summary: MigrateSummary = { databases: 0, collections: 0, indexes: 0, documents: 0, resumed: 0 };
  const dbs = (await source.db("admin").admin().listDatabases({ nameOnly: true })).databases
    .map((d) => d.name)
    .filter((n) => !["admin", "local", "config"].includes(n));
  for (const dbName of dbs) {
    const from = source.db(dbName);
    const to = target.db(dbName);
    const checkpoints = to.collection<Checkpoint>(CHECKPOINTS);
    const colls = (await from.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n !== CHECKPOINTS).sort();
    summary.databases++;
    for (const name of colls) {
      summary.collections++;
      const src = from.collection(name);
      const dst = to.collection(name);
      const specs = (await src.listIndexes().toArray()).filter((ix) => ix.name !== "_id_");
      if (specs.length) {
        await to.command({ createIndexes: name, indexes: specs.map(({ v: _v, ns: _ns, ...spec }) => spec) });
        summary.indexes += specs.length;
      }
      const total = await src.estimatedDocumentCount();
      const cpId = `${name}`;
      const cp = await checkpoints.findOne({ _id: cpId });
      if (cp?.done && (await dst.estimatedDocumentCount()) >= total) {
        summary.resumed += total;
        opts.log(`${dbName}.${name}: ${total} documents, already copied`);
        continue;
      }
      const skip = cp?.done ? 0 : (cp?.copied ?? 0);
      summary.resumed += skip;
      const bar = opts.progress ? new SingleBar({ format: `${dbName}.${name} {bar} {value}/{total}` }, Presets.shades_classic) : null;
      bar?.start(total, skip);
      let copied = skip;
      let batch: AnyBulkWriteOperation<Document>[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        await dst.bulkWrite(batch, { ordered: false });
        copied += batch.length;
        summary.documents += batch.length;
        batch = [];
        await checkpoints.updateOne({ _id: cpId }, { $set: { copied, done: false } }, { upsert: true });
        bar?.update(copied);
      };
      for await (const doc of src.find({}, { skip, batchSize: BATCH })) {
        batch.push({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } });
        if (batch.length >= BATCH) await flush();
      }
      await flush();
      await checkpoints.updateOne({ _id: cpId }, { $set: { copied, done: true } }, { upsert: true });
      bar?.stop();
      const there = await dst.countDocuments();
      if (there < total) throw new Error(`${dbName}.${name}: the target holds ${there} documents of ${total} after the copy`);
      opts.log(`${dbName}.${name}: ${total} documents${skip ? ` (${skip} copied by an earlier run)` : ""}, ${specs.length} indexes`);
    }
  }
  return summary;
}
