import type { Processor, Queue } from "bullmq";
import { makeCorpusStatsRepo } from "../../shared/db/corpus-stats-repo";
import { makeTextAnalyzer } from "../../shared/domain/nlp";
import type { WorkerDeps } from "../deps";
import type { SearchMatcher } from "../search-matcher";
import { makeSearchesRepo } from "../../shared/db/searches-repo";
import { makeBackfillSearch } from "./backfill-search";
import { makeEnrichItems } from "./enrich-items";
import { makeSweepPending } from "./sweep-pending";
import { makeUpdateRollups } from "./update-rollups";
import { makeAlertRulesRepo } from "../../shared/db/alert-rules-repo";
import { makeAlertsRepo } from "../../shared/db/alerts-repo";
import { makeRollupsRepo } from "../../shared/db/rollups-repo";
import { loadSecretKey } from "../../shared/crypto/secret-box";
import { makeDeliverNotifications } from "./deliver-notifications";
import { makeEvaluateAlerts } from "./evaluate-alerts";
import { makeFollowUpsRepo } from "../../shared/db/follow-ups-repo";

export interface ProcessorSpec {
  /** the producer side of the queue consumed (its name and prefix) */
  queue: Queue;
  /** the queue in logs: its name, plus `:<partition>` when there are several */
  label: string;
  processor: Processor;
  /** jobs of this queue run one at a time across all processes (per partition for partitioned queues) */
  serial?: boolean;
  /** jobs at a time in one process, when fewer than WORKER_CONCURRENCY */
  concurrency?: number;
}

/** Every queue this process consumes, with its processor. Analyzers are built once, here. */
export function makeProcessors(deps: WorkerDeps, searches: SearchMatcher): ProcessorSpec[] {
  const analyzer = makeTextAnalyzer();
  // Notification URLs are sealed with the same key as webhook secrets (SECRET_KEY or its file).
  const rules = makeAlertRulesRepo(deps.db, loadSecretKey({ secretKey: deps.config.SECRET_KEY, file: deps.config.SECRET_KEY_FILE }), deps.now);
  const alerts = makeAlertsRepo(deps.db);
  const q = deps.queues;
  const several = q.partitions.length > 1;
  const enrich = makeEnrichItems({ ...deps, analyzer, corpus: makeCorpusStatsRepo(deps.db), searches });
  // Every process consumes every partition: N workers spread over the partitions by themselves.
  const partitioned = q.partitions.flatMap((p): ProcessorSpec[] => [
    { queue: p.enrichItems, label: several ? `${p.enrichItems.name}:${p.partition}` : p.enrichItems.name, processor: enrich },
    {
      queue: p.updateRollups,
      label: several ? `${p.updateRollups.name}:${p.partition}` : p.updateRollups.name,
      processor: makeUpdateRollups(deps, { partition: p.partition }),
      serial: true,
    },
  ]);
  const one = (queue: Queue, rest: Omit<ProcessorSpec, "queue" | "label">): ProcessorSpec => ({ queue, label: queue.name, ...rest });
  return [
    ...partitioned,
    one(q.sweepPending, { processor: makeSweepPending(deps), serial: true }),
    // Alerts stay unpartitioned: one scheduled pass reads every workspace's rollups (reads only,
    // no drain-style guard to protect) and its cost grows with rules, not with the item stream.
    one(q.evaluateAlerts, {
      processor: makeEvaluateAlerts({
        ...deps, rules, alerts, rollups: makeRollupsRepo(deps.cols), followUps: makeFollowUpsRepo(deps.cols.items, deps.cols.followUpPolicies),
      }),
      serial: true,
    }),
    one(q.deliverNotifications, { processor: makeDeliverNotifications({ ...deps, rules, alerts }) }),
    // One backfill at a time per process, and each yields as much time as it works (see the
    // processor): history may be slow to catch up, live items and the API never wait on it.
    one(q.backfillSearch, { processor: makeBackfillSearch({ ...deps, searches: makeSearchesRepo(deps.db, deps.now) }), concurrency: 1 }),
  ];
}
