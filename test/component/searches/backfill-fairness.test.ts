/**
 * A backfill shares the worker with live work: after every batch it pauses as long as the batch
 * took, so even an exclusion-only search over all history leaves half of the time to everything
 * else. The pause is injected here, so the test checks the behaviour, not the clock.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSearchesRepo } from "../../../shared/db/searches-repo";
import { BACKFILL_BATCH, makeBackfillSearch } from "../../../workers/processors/backfill-search";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";
import { fakeJob, makeTestWorkers } from "../../support/workers";

let t: TestApi;
beforeAll(async () => {
  t = await makeTestApi();
});
afterAll(async () => t?.close());

describe("backfill fairness", () => {
  it("pauses after every batch for as long as the batch took, and still matches everything", async () => {
    const ws = randomId("ws");
    const n = Math.round(BACKFILL_BATCH * 2.5);
    const items = Array.from({ length: n }, (_, i) => ({ externalId: `T-${i}`, status: "open", createdAt: "2026-03-02T10:00:00Z", subject: "hello" }));
    for (let i = 0; i < n; i += 1_000) {
      const res = await t.app.inject({ method: "POST", url: "/v1/tickets", headers: { authorization: await t.bearer(ws, ["ingest"]) }, payload: { items: items.slice(i, i + 1_000) } });
      expect(res.statusCode).toBe(202);
    }
    const w = makeTestWorkers(t.config, t.mongo, t.queues);
    await w.enrichPending(ws);
    const searches = makeSearchesRepo(t.mongo.db);
    const { doc } = await searches.create(ws, "everything", "NOT zzqq1");

    const pauses: number[] = [];
    const backfill = makeBackfillSearch({ ...w.deps, searches }, async (ms) => void pauses.push(ms));
    const result = await backfill(fakeJob({ workspace: ws, searchId: doc._id, revision: 1 }));

    expect(result).toMatchObject({ added: n });
    expect(await t.mongo.cols.items.countDocuments({ workspace: ws, searchIds: doc._id })).toBe(n);
    // three batches of candidates, then the holders and the catch-up pass
    expect(pauses.length).toBeGreaterThanOrEqual(3);
    expect(pauses.every((ms) => ms > 0)).toBe(true);
  }, 60_000);
});
