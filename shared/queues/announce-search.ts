/**
 * Announcing a saved search's change: a message on the searches channel (every worker process
 * updates its registry) and, for a new revision, its backfill job (the job id makes a repeated
 * announcement harmless). Used by the API right after the change is stored and by the sweeper for
 * announcements that did not get through (the search's `announce` outbox field).
 */
import type { RedisClient } from "./connection";
import { searchesChannel, type SearchChange } from "../db/searches-repo";
import { backfillJobId } from "./job-ids";
import type { Queues } from "./producers";

export async function announceSearch(
  redis: Pick<RedisClient, "publish">,
  queues: Pick<Queues, "backfillSearch">,
  queuePrefix: string,
  change: SearchChange,
  revision?: number,
): Promise<void> {
  await redis.publish(searchesChannel(queuePrefix), JSON.stringify(change));
  if (revision !== undefined) {
    await queues.backfillSearch.add(
      "backfill",
      { workspace: change.workspace, searchId: change.id, revision },
      { jobId: backfillJobId(change.id, revision) },
    );
  }
}
