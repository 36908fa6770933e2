import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";
import { makeTestWorkers } from "../../support/workers";

let t: TestApi;
let w: ReturnType<typeof makeTestWorkers>;
let ws: string;
let auth: string;

const H = 3_600_000;
const at = (iso: string, plusHours = 0) => new Date(Date.parse(iso) + plusHours * H).toISOString();

beforeAll(async () => {
  t = await makeTestApi();
  w = makeTestWorkers(t.config, t.mongo, t.queues);
  ws = randomId("ws");
  auth = await t.bearer(ws, ["ingest", "read"]);
  const tickets = [
    // Monday 2 March 2026: three email tickets, one chat
    { externalId: "a", channel: "email", status: "solved", createdAt: "2026-03-02T08:00:00Z", firstResponseAt: at("2026-03-02T08:00:00Z", 1), resolvedAt: at("2026-03-02T08:00:00Z", 2), agentReplies: 1 },
    { externalId: "b", channel: "email", status: "solved", createdAt: "2026-03-02T09:00:00Z", firstResponseAt: at("2026-03-02T09:00:00Z", 3), resolvedAt: at("2026-03-02T09:00:00Z", 6), agentReplies: 3 },
    { externalId: "c", channel: "email", status: "open", createdAt: "2026-03-02T10:00:00Z" },
    { externalId: "d", channel: "chat", status: "closed", createdAt: "2026-03-02T11:00:00Z", resolvedAt: at("2026-03-02T11:00:00Z", 1), reopens: 1, agentReplies: 1 },
    // Tuesday: one chat ticket resolved with no agent reply (counts as one-touch)
    { externalId: "e", channel: "chat", status: "solved", createdAt: "2026-03-03T12:00:00Z", resolvedAt: at("2026-03-03T12:00:00Z", 4), agentReplies: 0 },
  ].map((x) => ({ source: "api", subject: "Refund", body: "Where is my refund?", ...x }));
  const res = await t.app.inject({ method: "POST", url: "/v1/tickets", headers: { authorization: auth }, payload: { items: tickets } });
  expect(res.json().accepted).toBe(5);
  await w.settle(ws);
});
afterAll(async () => t?.close());

const get = (url: string) => t.app.inject({ method: "GET", url, headers: { authorization: auth } });
const RANGE = "from=2026-03-02T00:00:00Z&to=2026-03-04T00:00:00Z";

describe("GET /v1/trends/{metric}", () => {
  it("counts volume per day and per channel with n beside every point", async () => {
    const res = await get(`/v1/trends/volume?${RANGE}&groupBy=channel`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.definition).toBe("volume.v1");
    const byChannel = Object.fromEntries(body.groups.map((g: { key: { channel: string }; points: { value: number }[] }) => [g.key.channel, g.points.map((p) => p.value)]));
    expect(byChannel).toEqual({ email: [3, 0], chat: [1, 1] });
  });

  it("computes FCR over resolved tickets by resolution day (one-touch, no reopen)", async () => {
    const body = (await get(`/v1/trends/fcr?${RANGE}`)).json();
    const [mon, tue] = body.groups[0].points;
    // Monday: a (1 reply) one-touch, b (3 replies) not, d reopened not -> 1/3
    expect(mon).toMatchObject({ n: 3, parts: { resolved: 3, oneTouch: 1 } });
    expect(mon.value).toBeCloseTo(100 / 3, 6);
    expect(tue).toMatchObject({ n: 1, value: 100 });
    expect(body.groups[0].total).toMatchObject({ n: 4, value: 50 });
  });

  it("reports mean resolution time in seconds and null for an empty bucket", async () => {
    const body = (await get(`/v1/trends/resolution-time?${RANGE}&channel=email`)).json();
    const [mon, tue] = body.groups[0].points;
    expect(mon.n).toBe(2);
    expect(mon.value).toBe((2 * 3600 + 6 * 3600) / 2);
    expect(tue).toMatchObject({ n: 0, value: null });
  });

  it("answers 400 naming a bad parameter", async () => {
    const tz = await get(`/v1/trends/volume?${RANGE}&tz=Mars/Olympus`);
    expect(tz.statusCode).toBe(400);
    expect(tz.json().message).toMatch(/tz.*IANA/);
    const range = await get(`/v1/trends/volume?from=2026-03-04T00:00:00Z&to=2026-03-02T00:00:00Z`);
    expect(range.statusCode).toBe(400);
    expect(range.json().message).toMatch(/from must be before to/);
    const metric = await get(`/v1/trends/happiness?${RANGE}`);
    expect(metric.statusCode).toBe(400);
    const group = await get(`/v1/trends/volume?${RANGE}&groupBy=channel,team,plan`);
    expect(group.statusCode).toBe(400);
  });

  it("never shows one workspace's numbers to another", async () => {
    const other = await t.bearer(randomId("ws"), ["read"]);
    const res = await t.app.inject({ method: "GET", url: `/v1/trends/volume?${RANGE}`, headers: { authorization: other } });
    expect(res.json().groups[0].total.n).toBe(0);
  });
});

describe("GET /v1/trends/summary", () => {
  it("gives volume by channel, FCR and times with their changes", async () => {
    const res = await get(`/v1/trends/summary?${RANGE}`);
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.volume.n).toBe(5);
    expect(s.volume.byChannel.map((c: { channel: string; n: number }) => [c.channel, c.n])).toEqual([["email", 3], ["chat", 2]]);
    expect(s.fcr).toMatchObject({ definition: "fcr.v1", n: 4, value: 50 });
    expect(s.firstResponseTime.n).toBe(2);
    expect(s.volume.change).toMatchObject({ previous: 0, test: expect.any(String) });
    expect(s.nps).toMatchObject({ n: 0, value: null });
  });
});
