/**
 * A trend answer stays bounded: too many points per series is refused before any work, naming
 * `interval` and what to do; more groups than the limit keeps the largest and says so.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_GROUPS_PER_ANSWER, MAX_POINTS_PER_SERIES } from "../../../api/routes/trends/trend-query";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";
import { makeTestWorkers } from "../../support/workers";

let t: TestApi;
beforeAll(async () => {
  t = await makeTestApi();
});
afterAll(async () => t?.close());

describe("trend answer limits", () => {
  it("refuses a year by hour with a 400 that names interval and suggests a coarser one", async () => {
    const auth = await t.bearer(randomId("ws"), ["read"]);
    const res = await t.app.inject({
      method: "GET", headers: { authorization: auth },
      url: "/v1/trends/volume?interval=hour&from=2025-05-01T00:00:00Z&to=2026-06-10T00:00:00Z&groupBy=tag,segment",
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0].path).toBe("querystring.interval");
    expect(res.json().message).toMatch(new RegExp(`most one answer gives is ${MAX_POINTS_PER_SERIES}.*coarser interval`));
    // the same range by day is fine
    const byDay = await t.app.inject({
      method: "GET", headers: { authorization: auth },
      url: "/v1/trends/volume?interval=day&from=2025-05-01T00:00:00Z&to=2026-06-10T00:00:00Z",
    });
    expect(byDay.statusCode).toBe(200);
  });

  it("keeps the largest groups when there are more than the limit, and says so", async () => {
    const ws = randomId("ws");
    const tags = MAX_GROUPS_PER_ANSWER + 50;
    // tag-0 on 3 tickets (0, 1, 2), tag-1 on 2 (1, 3), every other tag on 1
    const items = Array.from({ length: tags }, (_, i) => ({
      externalId: `T-${i}`, status: "open", createdAt: "2026-03-02T10:00:00Z", tags: [`tag-${i}`, ...(i === 1 || i === 2 ? ["tag-0"] : []), ...(i === 3 ? ["tag-1"] : [])],
    }));
    const ingest = await t.app.inject({ method: "POST", url: "/v1/tickets", headers: { authorization: await t.bearer(ws, ["ingest"]) }, payload: { items } });
    expect(ingest.json().accepted).toBe(tags);
    await makeTestWorkers(t.config, t.mongo, t.queues).settle(ws);
    const res = await t.app.inject({
      method: "GET", headers: { authorization: await t.bearer(ws, ["read"]) },
      url: "/v1/trends/volume?interval=week&from=2026-03-02T00:00:00Z&to=2026-03-09T00:00:00Z&groupBy=tag",
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.groups).toHaveLength(MAX_GROUPS_PER_ANSWER);
    expect(body.truncated).toMatchObject({ groups: tags, kept: MAX_GROUPS_PER_ANSWER, hint: expect.stringMatching(/filter/) });
    expect(body.groups[0]).toMatchObject({ key: { tag: "tag-0" }, total: { n: 3 } });
    expect(body.groups[1]).toMatchObject({ key: { tag: "tag-1" }, total: { n: 2 } });
  });
});
