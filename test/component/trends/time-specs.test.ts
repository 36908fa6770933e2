/**
 * `from` and `to` as people write them: a date (midnight in the request's tz), a local time, an
 * instant, or relative to now; anything else is a 400 that shows the accepted forms.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";
import { makeTestWorkers } from "../../support/workers";

let t: TestApi;
let ws: string;
let read: string;
beforeAll(async () => {
  t = await makeTestApi();
  ws = randomId("ws");
  read = await t.bearer(ws, ["read"]);
});
afterAll(async () => t?.close());

const get = (url: string) => t.app.inject({ method: "GET", url, headers: { authorization: read } });

describe("from/to values", () => {
  it("a date is midnight in the request's tz", async () => {
    const res = await get("/v1/trends/volume?from=2026-03-01&to=2026-04-01&tz=Europe/Amsterdam");
    expect(res.statusCode).toBe(200);
    // March 1st is in winter time (+01:00), April 1st in summer time (+02:00)
    expect(res.json()).toMatchObject({ from: "2026-02-28T23:00:00.000Z", to: "2026-03-31T22:00:00.000Z", tz: "Europe/Amsterdam" });
  });

  it("without tz a date is UTC midnight; an instant and a local time work too", async () => {
    expect((await get("/v1/trends/volume?from=2026-03-01&to=2026-03-02T12:00:00%2B02:00")).json()).toMatchObject({
      from: "2026-03-01T00:00:00.000Z",
      to: "2026-03-02T10:00:00.000Z",
    });
    expect((await get("/v1/trends/volume?from=2026-03-01T09:00&to=2026-03-02&tz=America/New_York")).json()).toMatchObject({
      from: "2026-03-01T14:00:00.000Z",
      to: "2026-03-02T05:00:00.000Z",
    });
  });

  it("relative values count back from now", async () => {
    const before = Date.now();
    const body = (await get("/v1/trends/volume?from=-7d&to=now")).json();
    const after = Date.now();
    const to = Date.parse(body.to);
    expect(to).toBeGreaterThanOrEqual(before);
    expect(to).toBeLessThanOrEqual(after);
    expect(to - Date.parse(body.from)).toBe(7 * 86_400_000);
  });

  it("a date selects the items of that local day", async () => {
    // 23:30 UTC on March 1st is already March 2nd (00:30, +01:00) in Amsterdam
    const items = [
      { externalId: "a", status: "open", channel: "email", createdAt: "2026-03-01T23:30:00Z" },
      { externalId: "b", status: "open", channel: "email", createdAt: "2026-03-01T10:00:00Z" },
    ];
    const own = randomId("ws");
    const ingest = await t.app.inject({ method: "POST", url: "/v1/tickets", headers: { authorization: await t.bearer(own, ["ingest"]) }, payload: { items } });
    expect(ingest.json()).toMatchObject({ accepted: 2 });
    await makeTestWorkers(t.config, t.mongo, t.queues).settle(own);
    const res = await t.app.inject({
      method: "GET",
      url: "/v1/trends/volume?from=2026-03-02&to=2026-03-03&tz=Europe/Amsterdam",
      headers: { authorization: await t.bearer(own, ["read"]) },
    });
    expect(res.json().groups[0].total.n).toBe(1);
    expect(res.json().groups[0].change.previous).toBe(1);
  });

  it("the terms and items routes take the same values", async () => {
    expect((await get("/v1/terms?from=2026-03-01&to=2026-03-08&tz=Europe/Amsterdam")).json()).toMatchObject({
      from: "2026-02-28T23:00:00.000Z",
      to: "2026-03-07T23:00:00.000Z",
    });
    expect((await get("/v1/items?from=-30d&to=now")).statusCode).toBe(200);
  });

  it.each(["yesterday", "2026-02-30", "03/01/2026", "-7y"])("refuses %j with the accepted forms and examples", async (value) => {
    const res = await get(`/v1/trends/volume?from=${encodeURIComponent(value)}`);
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.issues[0].path).toBe("querystring.from");
    for (const example of ["2026-03-01", "2026-03-01T09:30:00Z", "now", "-7d", "-12h"]) expect(body.message).toContain(example);
  });

  it("the OpenAPI document shows the forms with examples", async () => {
    const doc = (await t.app.inject({ method: "GET", url: "/docs/json" })).json();
    const from = doc.paths["/v1/trends/{metric}"].get.parameters.find((p: { name: string }) => p.name === "from");
    expect(from.description).toMatch(/midnight in tz.*relative to now/);
    const examples = from.schema.examples ?? from.examples;
    expect(JSON.stringify(examples)).toContain("-7d");
    expect(JSON.stringify(examples)).toContain("2026-03-01");
  });
});
