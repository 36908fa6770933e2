import type { Processor } from "bullmq";
import { makeCorpusStatsRepo } from "../../shared/db/corpus-stats-repo";
import { makeTextAnalyzer } from "../../shared/domain/nlp";
import { QUEUES } from "../../shared/queues/names";
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

export interface ProcessorSpec {
  queue: string;
  processor: Processor;
  /** jobs of this queue run one at a time across all processes */
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
  return [
    { queue: QUEUES.enrichItems, processor: makeEnrichItems({ ...deps, analyzer, corpus: makeCorpusStatsRepo(deps.db), searches }) },
    { queue: QUEUES.updateRollups, processor: makeUpdateRollups(deps), serial: true },
    { queue: QUEUES.sweepPending, processor: makeSweepPending(deps), serial: true },
    // One backfill at a time per process, and each yields as much time as it works (see the
    // processor): history may be slow to catch up, live items and the API never wait on it.
    { queue: QUEUES.evaluateAlerts, processor: makeEvaluateAlerts({ ...deps, rules, alerts, rollups: makeRollupsRepo(deps.cols) }), serial: true },
    { queue: QUEUES.deliverNotifications, processor: makeDeliverNotifications({ ...deps, rules, alerts }) },
    { queue: QUEUES.backfillSearch, processor: makeBackfillSearch({ ...deps, searches: makeSearchesRepo(deps.db, deps.now) }), concurrency: 1 },
  ];
}
