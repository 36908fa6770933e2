/**
 * Processors called directly (component tests): the same factories the worker process uses, over
 * the test stores, with a minimal Job object.
 */
import type { Job } from "bullmq";
import { pino } from "pino";
import { makeProducerConnection, waitForReady } from "../../shared/queues/connection";
import { makeCorpusStatsRepo } from "../../shared/db/corpus-stats-repo";
import { makeTextAnalyzer } from "../../shared/domain/nlp";
import type { Config } from "../../shared/config";
import type { Queues } from "../../shared/queues/producers";
import { makeEnrichItems } from "../../workers/processors/enrich-items";
import { makeUpdateRollups, type RollupFailpoint } from "../../workers/processors/update-rollups";
import type { WorkerDeps } from "../../workers/deps";
import type { SearchMatcher } from "../../workers/search-matcher";
import type { TestMongo } from "./stores";

export function fakeJob<T>(data: T): Job {
  return { id: "test", data, attemptsMade: 0, log: async () => 0, updateProgress: async () => {} } as unknown as Job;
}

const analyzer = makeTextAnalyzer();

/** Publishes over a short-lived connection, so processors under test need no connection to close. */
export function testPublisher(redisUrl: string): WorkerDeps["publisher"] {
  return {
    async publish(channel: string | Buffer, message: string | Buffer) {
      const redis = makeProducerConnection(redisUrl);
      try {
        await waitForReady(redis);
        return await redis.publish(channel, message);
      } finally {
        redis.disconnect();
      }
    },
  } as WorkerDeps["publisher"];
}

export function makeTestWorkers(
  config: Config,
  mongo: TestMongo,
  queues: Queues,
  opts: { searches?: SearchMatcher; failpoint?: RollupFailpoint; now?: () => Date; partition?: number } = {},
) {
  const deps: WorkerDeps = {
    config, db: mongo.db, cols: mongo.cols, queues, publisher: testPublisher(config.REDIS_URL!), log: pino({ level: "silent" }), now: opts.now ?? (() => new Date()),
  };
  const enrich = makeEnrichItems({
    ...deps,
    analyzer,
    corpus: makeCorpusStatsRepo(mongo.db),
    searches: opts.searches ?? { matchIds: async () => [] },
  });
  const rollups = makeUpdateRollups(deps, { failpoint: opts.failpoint, partition: opts.partition });
  return {
    deps,
    /** enriches every pending item of the workspace, as the queued jobs would */
    async enrichPending(workspace: string): Promise<number> {
      const ids = (await mongo.cols.items.find({ workspace, pending: true }, { projection: { _id: 1 } }).toArray()).map((d) => d._id);
      for (let i = 0; i < ids.length; i += 1_000) await enrich(fakeJob({ workspace, ids: ids.slice(i, i + 1_000) }));
      return ids.length;
    },
    drainRollups: () => rollups(fakeJob({ reason: "test" })),
    async settle(workspace: string): Promise<void> {
      await this.enrichPending(workspace);
      await this.drainRollups();
    },
  };
}
