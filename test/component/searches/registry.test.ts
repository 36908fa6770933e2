import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import type { MatchableItem } from "../../../shared/domain/query";
import { makeSearchesRepo, searchesChannel } from "../../../shared/db/searches-repo";
import { makeWorkerConnection } from "../../../shared/queues/connection";
import { makeSearchRegistry, type SearchRegistry } from "../../../workers/search-registry";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";

let t: TestApi;
let registry: SearchRegistry;

beforeAll(async () => {
  t = await makeTestApi();
  registry = makeSearchRegistry({
    searches: makeSearchesRepo(t.mongo.db),
    log: pino({ level: "silent" }),
    subscriber: makeWorkerConnection(t.config.REDIS_URL!),
    channel: searchesChannel(t.config.QUEUE_PREFIX),
  });
});
afterAll(async () => {
  await registry?.close();
  await t?.close();
});

const item = (terms: string[]): MatchableItem => ({
  kind: "ticket",
  enrichment: { language: "en", tokens: terms, terms },
  facets: { kind: "ticket", channel: "email", tag: [] },
});

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("saved-search registry in a worker process", () => {
  it("picks up created, edited and deleted searches announced over Redis, without a rebuild", async () => {
    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["read", "searches"]);
    const refund = item(["refund", "late"]);
    expect(await registry.matchIds(ws, refund)).toEqual([]); // loads the (empty) workspace index

    const s = (await t.app.inject({ method: "POST", url: "/v1/searches", headers: { authorization: auth }, payload: { name: "r", query: "refund" } })).json();
    await eventually(async () => (await registry.matchIds(ws, item(["refund", "late"]))).includes(s.id), "the new search");

    await t.app.inject({ method: "PATCH", url: `/v1/searches/${s.id}`, headers: { authorization: auth }, payload: { query: "login" } });
    await eventually(async () => (await registry.matchIds(ws, item(["login", "error"]))).includes(s.id), "the edited search");
    expect(await registry.matchIds(ws, item(["refund", "late"]))).toEqual([]);

    await t.app.inject({ method: "DELETE", url: `/v1/searches/${s.id}`, headers: { authorization: auth } });
    await eventually(async () => (await registry.matchIds(ws, item(["login", "error"]))).length === 0, "the deletion");
  });
});
