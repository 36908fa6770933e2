/**
 * Data migrations run at start (openStores, the CLI) after the indexes. Each runs once per
 * database: a marker in `migrations` records it. Every step is idempotent, so two processes
 * starting together, or a start killed half way, converge.
 */
import { MongoBulkWriteError, type AnyBulkWriteOperation, type Db, type Filter } from "mongodb";
import type { Logger } from "pino";
import { textOf } from "../domain/items/text-of";
import { naturalKey, type Enrichment, type ItemKind } from "../domain/models";
import { makeTextAnalyzer } from "../domain/nlp";
import { DUPLICATE_KEY } from "../errors";
import type { ItemDoc } from "./collections";
import { idOrderedBatches } from "./id-batches";
import { addDayTotals } from "./rollup-day-totals";
import { recordRollupLayout } from "./rollup-layout";
import { buildMonthRollups } from "./rollup-months";
import type { SearchDoc } from "./searches-repo";

interface MigrationDoc {
  _id: string;
  doneAt: Date;
  changed: number;
}

/** Items per bulk write while migrating. */
const BATCH = 500;

/**
 * Item keys without the kind (`workspace|source|externalId`, exactly two unescaped separators)
 * become `workspace|kind|source|externalId`. The item moves to its new `_id` with everything it
 * carries (enrichment, applied rollup contributions, matched searches); a job still holding the
 * old id finds nothing, and the sweeper announces the item again if it was pending.
 */
async function itemKeysWithKind(db: Db): Promise<number> {
  const items = db.collection<ItemDoc>("items");
  const OLD_KEY = /^[^|]*\|[^|]*\|[^|]*$/;
  let changed = 0;
  for (;;) {
    const batch = await items.find({ _id: { $regex: OLD_KEY } }).limit(BATCH).toArray();
    if (batch.length === 0) return changed;
    const moved = batch.map((doc) => ({
      ...doc,
      _id: naturalKey(doc.workspace, doc.kind, String(doc.source), String(doc.externalId)),
    }));
    try {
      await items.insertMany(moved, { ordered: false });
    } catch (err) {
      // Already moved by an earlier, interrupted run or a process starting beside us.
      const errors = err instanceof MongoBulkWriteError ? [err.writeErrors].flat() : [];
      if (errors.length === 0 || errors.some((e) => e.code !== DUPLICATE_KEY)) throw err;
    }
    await items.deleteMany({ _id: { $in: batch.map((d) => d._id) } });
    changed += batch.length;
  }
}

/**
 * Items enriched before `enrichment.words` existed get their words as written (what phrases and
 * NEAR count, stop words included) from their stored text, analyzed again in their stored
 * language; the word inside each hashtag joins their terms (so `refund` finds "#refund").
 * Nothing else of the enrichment changes: tokens, keywords and sentiment stay as computed, so
 * rollups and keyword history are untouched. Stored tokens cannot give the words (they dropped
 * the stop words), so the text is read again; items are walked in `_id` order (each batch resumes
 * after the last id, no rescans) and each write is conditional on `words` still missing, so an
 * item a worker enriches meanwhile keeps the worker's enrichment.
 */
/** What `itemWordsAsWritten` reads of an item: its text and its enrichment's language. */
interface WordsSource {
  _id: string;
  kind: ItemKind;
  subject?: string;
  body?: string;
  text?: string;
  comment?: string;
  enrichment: Pick<Enrichment, "language">;
}

async function itemWordsAsWritten(db: Db): Promise<number> {
  const items = db.collection<ItemDoc>("items");
  const analyzer = makeTextAnalyzer();
  const pending: Filter<ItemDoc> = { enrichment: { $type: "object" }, "enrichment.words": { $exists: false } };
  const projection = { _id: 1, kind: 1, subject: 1, body: 1, text: 1, comment: 1, "enrichment.language": 1 };
  let changed = 0;
  for await (const batch of idOrderedBatches<WordsSource, ItemDoc>(items, pending, { projection, batchSize: BATCH })) {
    const writes = batch.map((doc): AnyBulkWriteOperation<ItemDoc> => {
      const language = doc.enrichment.language;
      const a = analyzer.analyze(textOf(doc), { language });
      return {
        updateOne: {
          filter: { _id: doc._id, "enrichment.words": { $exists: false } },
          update: { $set: { "enrichment.words": a.words }, $addToSet: { "enrichment.terms": { $each: a.tagTerms } } },
        },
      };
    });
    const res = await items.bulkWrite(writes, { ordered: false });
    changed += res.modifiedCount;
  }
  return changed;
}

/**
 * After `itemWordsAsWritten`: every saved search at a new revision with its backfill pending and
 * its announcement in the outbox (dated so the next sweep takes it), so the workers reload it and
 * its backfill recomputes which stored items match now that phrases and NEAR count every word
 * and a word finds its hashtag. Conditional on the revision read: an edit in between already
 * bumped it and announced its own backfill.
 */
async function searchesRematch(db: Db): Promise<number> {
  const searches = db.collection<SearchDoc>("searches");
  let changed = 0;
  for await (const s of searches.find({}, { projection: { _id: 1, revision: 1 } })) {
    const revision = s.revision + 1;
    const res = await searches.updateOne(
      { _id: s._id, revision: s.revision },
      { $set: { revision, backfill: { state: "pending", revision, processed: 0, total: 0 }, announce: { revision, since: new Date(0) } } },
    );
    changed += res.modifiedCount;
  }
  return changed;
}

export interface MigrationOptions {
  /** PARTITIONS: which rollup drain leases a migration of the rollups must hold */
  partitions: number;
}

const MIGRATIONS: { id: string; run: (db: Db, opts: MigrationOptions, log: Pick<Logger, "info">) => Promise<number> }[] = [
  { id: "2026-12-item-keys-with-kind", run: itemKeysWithKind },
  { id: "2027-01-item-words-as-written", run: itemWordsAsWritten },
  { id: "2027-01-searches-rematch-words-as-written", run: searchesRematch },
  {
    id: "2027-02-rollup-months",
    run: (db, opts, log) =>
      buildMonthRollups(db, { partitions: opts.partitions, onWait: (lease) => log.info({ lease }, "month rollups: waiting for a running rollup drain to finish") }),
  },
  {
    id: "2027-03-rollup-day-totals",
    run: (db, opts, log) =>
      addDayTotals(db, {
        partitions: opts.partitions,
        onWait: (lease) => log.info({ lease }, "day totals: waiting for a running rollup drain to finish"),
        onProgress: (done) => done % 50_000 === 0 && log.info({ documents: done }, "day totals: rollup documents done"),
      }),
  },
];

export async function runMigrations(db: Db, log: Pick<Logger, "info">, opts: MigrationOptions = { partitions: 1 }): Promise<void> {
  const done = db.collection<MigrationDoc>("migrations");
  for (const m of MIGRATIONS) {
    if (await done.findOne({ _id: m.id })) continue;
    const changed = await m.run(db, opts, log);
    await done.updateOne({ _id: m.id }, { $set: { doneAt: new Date(), changed } }, { upsert: true });
    log.info({ migration: m.id, changed }, "migration done");
  }
  // After the migrations: drains of older versions stop here instead of writing an older layout.
  await recordRollupLayout(db);
}
