/**
 * GET /metrics: Prometheus text for admins only, with request latency by route pattern and the
 * pipeline's shared state (queues, oldest pending item, rollup backlog, quarantined items).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";
import type { ItemDoc } from "../../../shared/db/collections";

let t: TestApi;
beforeAll(async () => {
  t = await makeTestApi();
});
afterAll(async () => t?.close());

/** The value of one sample line `name{labels} value`, or undefined. */
function sample(text: string, name: string, labels = ""): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name}${labels} `) || (labels === "" && l.startsWith(`${name} `)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

describe("GET /metrics", () => {
  it("refuses requests without an admin key", async () => {
    const ws = randomId("ws");
    expect((await t.app.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(401);
    const read = await t.app.inject({ method: "GET", url: "/metrics", headers: { authorization: await t.bearer(ws, ["read", "ingest"]) } });
    expect(read.statusCode).toBe(403);
  });

  it("reports latency by route pattern and the pipeline's state", async () => {
    const ws = randomId("ws");
    const admin = await t.bearer(ws, ["admin"]);
    const hourAgo = new Date(Date.now() - 3_600_000);
    // Only the pipeline state matters here: partial documents.
    await t.mongo.db.collection<Partial<ItemDoc>>("items").insertMany([
      { _id: randomId("i"), workspace: ws, kind: "ticket", pending: true, pendingSince: hourAgo },
      { _id: randomId("i"), workspace: ws, kind: "ticket", rollupDirty: "t1" },
      { _id: randomId("i"), workspace: ws, kind: "ticket", rollupDirty: "t2", rollupQuarantine: { reason: "test", at: hourAgo } },
    ]);
    await t.app.inject({ method: "GET", url: "/healthz" });
    await t.app.inject({ method: "GET", url: "/v1/searches/abc", headers: { authorization: admin } });

    const res = await t.app.inject({ method: "GET", url: "/metrics", headers: { authorization: admin } });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain/);
    const text = res.body;
    expect(sample(text, "undercurrent_http_request_duration_seconds_count", '{route="/healthz",method="GET",status="200"}')).toBe(1);
    // route patterns, not raw URLs
    expect(text).toContain('route="/v1/searches/:id"');
    expect(text).not.toContain("/v1/searches/abc");
    expect(sample(text, "undercurrent_queue_jobs", '{queue="enrich-items",state="waiting"}')).toBe(0);
    expect(sample(text, "undercurrent_oldest_pending_item_age_seconds")).toBeGreaterThanOrEqual(3_600);
    expect(sample(text, "undercurrent_rollup_backlog_items")).toBe(2);
    expect(sample(text, "undercurrent_rollup_quarantined_items")).toBe(1);
    expect(text).toContain("undercurrent_process_resident_memory_bytes");
  });
});
