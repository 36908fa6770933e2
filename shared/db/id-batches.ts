/**
 * Walks the documents a filter matches in `_id` order, a batch at a time, each batch starting
 * after the last `_id` of the one before: one index range per batch and no rescans, and a document
 * the caller rewrites meanwhile is never met twice. For migrations over whole collections.
 */
import type { Collection, Document, Filter } from "mongodb";

export async function* idOrderedBatches<TOut extends { _id: string }, TSchema extends Document = Document>(
  collection: Collection<TSchema>,
  filter: Filter<TSchema>,
  opts: { projection: Document; batchSize: number },
): AsyncGenerator<TOut[]> {
  let after: string | undefined;
  for (;;) {
    const page = after === undefined ? filter : ({ ...filter, _id: { $gt: after } } as Filter<TSchema>);
    const batch = await collection.find<TOut>(page, { projection: opts.projection }).sort({ _id: 1 }).limit(opts.batchSize).toArray();
    if (batch.length === 0) return;
    after = batch[batch.length - 1]!._id;
    yield batch;
  }
}
