/**
 * GET /v1/workspace says how many accepted items are not in the trends yet, stage by stage, so the
 * dashboard can say its figures are still changing; counted from index keys, reading no item.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";
import { makeTestWorkers } from "../../support/workers";
import { itemsInFlightOf } from "../../../shared/db/items-in-flight";

let t: TestApi;
let w: ReturnType<typeof makeTestWorkers>;

beforeAll(async () => {
  t = await makeTestApi();
  w = makeTestWorkers(t.config, t.mongo, t.queues);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

async function documentsRead(): Promise<number> {
  const s = await t.mongo.db.admin().command({ serverStatus: 1 });
  return Number(s.metrics.queryExecutor.scannedObjects);
}

describe("items on their way into the trends", () => {
  it("are counted per stage until the drain has counted them, and an update waits in both stages", async () => {
    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["read", "ingest"]);
    const post = async (path: string, items: unknown[]) => {
      const res = await t.app.inject({ method: "POST", url: path, headers: { authorization: auth }, payload: { items } });
      expect(res.statusCode, res.body).toBe(202);
    };
    const processing = async () => {
      const res = await t.app.inject({ method: "GET", url: "/v1/workspace", headers: { authorization: auth } });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().processing as { enriching: number; counting: number };
    };
    const ticket = (id: string, status: string) => ({ externalId: id, channel: "email", status, subject: "Refund please", createdAt: "2026-11-02T08:00:00Z" });
    await post("/v1/tickets", [ticket("t1", "open"), ticket("t2", "open"), ticket("t3", "open")]);
    await post("/v1/mentions", [
      { externalId: "m1", platform: "twitter", text: "love it", postedAt: "2026-11-02T09:00:00Z" },
      { externalId: "m2", platform: "twitter", text: "broken again", postedAt: "2026-11-02T10:00:00Z" },
    ]);
    // another workspace's backlog is not this one's
    const other = await t.bearer(randomId("ws"), ["ingest"]);
    const res = await t.app.inject({ method: "POST", url: "/v1/tickets", headers: { authorization: other }, payload: ticket("x1", "open") });
    expect(res.statusCode, res.body).toBe(202);

    expect(await processing()).toEqual({ enriching: 5, counting: 0 });
    expect(await w.enrichPending(ws)).toBe(5);
    expect(await processing()).toEqual({ enriching: 0, counting: 5 });
    // an update of a ticket the drain has not counted yet: waiting for enrichment and for the drain
    await post("/v1/tickets", [{ ...ticket("t1", "solved"), resolvedAt: "2026-11-02T11:00:00Z" }]);
    expect(await processing()).toEqual({ enriching: 1, counting: 5 });
    await w.settle(ws);
    expect(await processing()).toEqual({ enriching: 0, counting: 0 });
  });

  it("reads no item to count them", async () => {
    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["read", "ingest"]);
    const items = Array.from({ length: 300 }, (_, i) => ({ externalId: `m${i}`, platform: "twitter", text: `hello ${i}`, postedAt: "2026-11-02T09:00:00Z" }));
    const res = await t.app.inject({ method: "POST", url: "/v1/mentions", headers: { authorization: auth }, payload: { items } });
    expect(res.statusCode, res.body).toBe(202);
    const before = await documentsRead();
    expect(await itemsInFlightOf(t.mongo.cols.items, ws)).toEqual({ enriching: 300, counting: 0 });
    expect((await documentsRead()) - before).toBe(0);
    await w.enrichPending(ws);
    const between = await documentsRead();
    expect(await itemsInFlightOf(t.mongo.cols.items, ws)).toEqual({ enriching: 0, counting: 300 });
    expect((await documentsRead()) - between).toBe(0);
  });
});
