import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";

let t: TestApi;
let ws: string;
let auth: string;
beforeAll(async () => {
  t = await makeTestApi();
  ws = randomId("ws");
  auth = await t.bearer(ws, ["ingest", "read"]);
});
afterAll(async () => t?.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: "POST", url, payload: payload as object, headers: { authorization: auth, ...headers } });

function ticket(over: Record<string, unknown> = {}) {
  return {
    source: "zendesk",
    externalId: randomId("tk"),
    channel: "email",
    subject: "Refund please",
    body: "I was charged twice",
    status: "open",
    createdAt: "2026-03-02T10:00:00Z",
    ...over,
  };
}

describe("POST /v1/tickets", () => {
  it("stores one ticket durably, answers 202 with its id and announces it to the enrichment queue", async () => {
    const tk = ticket();
    const res = await post("/v1/tickets", tk);
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({ accepted: 1, rejected: 0, errors: [] });
    expect(body.items).toEqual([{ index: 0, id: `${ws}|ticket|zendesk|${tk.externalId}`, status: "created" }]);

    const stored = await t.mongo.cols.items.findOne({ _id: body.items[0].id });
    expect(stored).toMatchObject({ workspace: ws, kind: "ticket", channel: "email", status: "open", pending: true });
    expect(stored).toHaveProperty("createdAt", new Date("2026-03-02T10:00:00Z"));

    const jobs = await t.queues.partitions[0]!.enrichItems.getJobs(["waiting", "delayed", "active"]);
    expect(jobs.some((j) => j.data.workspace === ws && j.data.ids.includes(body.items[0].id))).toBe(true);
  });

  it("accepts the valid items of a mixed batch and reports each invalid one with index, field and reason", async () => {
    const good = ticket();
    const res = await post("/v1/tickets", {
      items: [
        good,
        ticket({ channel: "carrier-pigeon" }),
        ticket({ status: "solved", resolvedAt: "2026-03-01T09:00:00Z" }),
        ticket({ createdAt: "yesterday" }),
        ticket({ firstResponseAt: "2026-03-02T09:59:00Z" }),
      ],
    });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body.accepted).toBe(1);
    expect(body.rejected).toBe(4);
    expect(body.items.map((i: { index: number }) => i.index)).toEqual([0]);
    const byIndex = Object.fromEntries(body.errors.map((e: { index: number; issues: unknown }) => [e.index, e.issues]));
    expect(byIndex[1]).toEqual([{ path: "items.1.channel", message: expect.stringMatching(/email/) }]);
    expect(byIndex[2]).toEqual([{ path: "items.2.resolvedAt", message: "is before createdAt" }]);
    expect(byIndex[3]).toEqual([{ path: "items.3.createdAt", message: expect.stringMatching(/ISO 8601/) }]);
    expect(byIndex[4]).toEqual([{ path: "items.4.firstResponseAt", message: "is before createdAt" }]);
    expect(await t.mongo.cols.items.countDocuments({ workspace: ws, externalId: good.externalId })).toBe(1);
  });

  it("rejects a single invalid ticket with 400 and stores nothing", async () => {
    const tk = ticket({ status: "solved" });
    const res = await post("/v1/tickets", tk);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: "validation_failed",
      issues: [{ path: "resolvedAt", message: "is required when status is solved" }],
    });
    expect(await t.mongo.cols.items.countDocuments({ externalId: tk.externalId })).toBe(0);
  });

  it("keeps the newest version when versions arrive out of order", async () => {
    const id = randomId("tk");
    const newer = ticket({
      externalId: id, status: "solved", resolvedAt: "2026-03-02T12:00:00Z", updatedAt: "2026-03-02T12:00:00Z", agentReplies: 1,
    });
    const older = ticket({ externalId: id, status: "open", updatedAt: "2026-03-02T11:00:00Z" });
    expect((await post("/v1/tickets", newer)).json().items[0].status).toBe("created");
    expect((await post("/v1/tickets", older)).json().items[0].status).toBe("unchanged");
    expect((await post("/v1/tickets", newer)).json().items[0].status).toBe("unchanged");
    const stored = await t.mongo.cols.items.find({ workspace: ws, externalId: id }).toArray();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: "solved", agentReplies: 1 });
  });

  it("replaces an older version and drops fields the newer one no longer has (a reopen clears resolvedAt)", async () => {
    const id = randomId("tk");
    await post("/v1/tickets", ticket({ externalId: id, status: "solved", resolvedAt: "2026-03-02T12:00:00Z" }));
    const res = await post(
      "/v1/tickets",
      ticket({ externalId: id, status: "open", reopens: 1, updatedAt: "2026-03-02T13:00:00Z" }),
    );
    expect(res.json().items[0].status).toBe("updated");
    const stored = await t.mongo.cols.items.findOne({ workspace: ws, externalId: id });
    expect(stored).toMatchObject({ status: "open", reopens: 1 });
    expect(stored).not.toHaveProperty("resolvedAt");
  });

  it("keeps the body and counters a newer partial version does not carry (webhook events often omit them)", async () => {
    const id = randomId("tk");
    await post("/v1/tickets", ticket({ externalId: id, agentReplies: 2, customerMessages: 3 }));
    const partial = { source: "zendesk", externalId: id, status: "solved", createdAt: "2026-03-02T10:00:00Z",
      resolvedAt: "2026-03-02T14:00:00Z", updatedAt: "2026-03-02T14:00:00Z" };
    expect((await post("/v1/tickets", partial)).json().items[0].status).toBe("updated");
    const stored = await t.mongo.cols.items.findOne({ workspace: ws, externalId: id });
    expect(stored).toMatchObject({ status: "solved", body: "I was charged twice", agentReplies: 2, customerMessages: 3, reopens: 0 });
  });
});

describe("ticket counters", () => {
  it("never lowers a cumulative counter: a newer event with a lower bound keeps the higher count", async () => {
    const id = randomId("tk");
    await post("/v1/tickets", ticket({ externalId: id, agentReplies: 3, reopens: 1, updatedAt: "2026-03-02T11:00:00Z" }));
    const res = await post("/v1/tickets", ticket({ externalId: id, status: "pending", agentReplies: 1, customerMessages: 2, updatedAt: "2026-03-02T12:00:00Z" }));
    expect(res.json().items[0].status).toBe("updated");
    const stored = await t.mongo.cols.items.findOne({ workspace: ws, externalId: id });
    expect(stored).toMatchObject({ status: "pending", agentReplies: 3, customerMessages: 2, reopens: 1 });
  });
});

describe("mentions and surveys", () => {
  it("counts a redelivered mention once", async () => {
    const m = { platform: "twitter", externalId: randomId("tw"), text: "@acme still waiting", postedAt: "2026-03-02T10:00:00Z" };
    expect((await post("/v1/mentions", m)).json().items[0].status).toBe("created");
    expect((await post("/v1/mentions", { items: [m, m] })).json().items.map((i: { status: string }) => i.status)).toEqual([
      "unchanged",
      "unchanged",
    ]);
    expect(await t.mongo.cols.items.countDocuments({ workspace: ws, externalId: m.externalId })).toBe(1);
  });

  it("checks survey scores against their kind and scale", async () => {
    const base = { externalId: randomId("sv"), respondedAt: "2026-03-02T10:00:00Z" };
    const res = await post("/v1/surveys", {
      items: [
        { ...base, kind: "nps", score: 9 },
        { ...base, externalId: randomId("sv"), kind: "nps", score: 11 },
        { ...base, externalId: randomId("sv"), kind: "csat", score: 9, scale: 10 },
        { ...base, externalId: randomId("sv"), kind: "ces", score: 6, scale: 10 },
      ],
    });
    const body = res.json();
    expect(body.items.map((i: { index: number }) => i.index)).toEqual([0, 2]);
    expect(body.errors).toEqual([
      { index: 1, issues: [{ path: "items.1.score", message: "must be between 0 and 10 for nps" }] },
      { index: 3, issues: [{ path: "items.3.scale", message: "ces supports scales 5 or 7" }] },
    ]);
  });
});

describe("workspace isolation", () => {
  it("keeps the same external id in two workspaces apart, each written only under its key's workspace", async () => {
    const other = randomId("ws");
    const otherAuth = await t.bearer(other, ["ingest"]);
    const id = randomId("tk");
    await post("/v1/tickets", ticket({ externalId: id, subject: "mine" }));
    await post("/v1/tickets", ticket({ externalId: id, subject: "theirs", updatedAt: "2026-03-03T00:00:00Z" }), { authorization: otherAuth });
    const docs = await t.mongo.cols.items.find({ externalId: id }).sort({ workspace: 1 }).toArray();
    expect(docs.map((d) => [d.workspace, d.kind === "ticket" ? d.subject : undefined]).sort()).toEqual([[other, "theirs"], [ws, "mine"]].sort());
  });
});

describe("malformed requests", () => {
  it("answers 415 to a body that is not JSON", async () => {
    const res = await t.app.inject({
      method: "POST", url: "/v1/tickets", payload: "a,b", headers: { authorization: auth, "content-type": "text/csv" },
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error).toBe("unsupported_media_type");
  });

  it("answers 400 to malformed JSON", async () => {
    const res = await t.app.inject({
      method: "POST", url: "/v1/tickets", payload: '{"items": [', headers: { authorization: auth, "content-type": "application/json" },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe("malformed_json");
    expect(res.json().message).toMatch(/line 1, column 12/);
  });

  it("names the line and column of a syntax error in a multi-line body", async () => {
    const res = await t.app.inject({
      method: "POST", url: "/v1/tickets", payload: '{\n  "externalId": "a",\n  "status": nope\n}', headers: { authorization: auth, "content-type": "application/json" },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe("the body is not valid JSON: Unexpected token 'o' at line 3, column 14");
  });

  it("refuses a __proto__ key by name, not as malformed JSON", async () => {
    const res = await t.app.inject({
      method: "POST", url: "/v1/tickets", payload: JSON.stringify(ticket()).replace("{", '{"__proto__":{"x":1},'),
      headers: { authorization: auth, "content-type": "application/json" },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: "forbidden_field", message: expect.stringMatching(/"__proto__" key/) });
  });

  it("answers 413 to an oversized body, naming the limit and how to split it", async () => {
    const res = await post("/v1/tickets", ticket({ body: "x".repeat(6 * 1024 * 1024) }));
    expect(res.statusCode).toBe(413);
    expect(res.json().message).toMatch(/limit of 5242880 bytes \(BODY_LIMIT_BYTES\): it announces \d+ bytes; send the items in at least 2 requests/);
  });

  it("answers 415 naming the content type it takes", async () => {
    const res = await t.app.inject({ method: "POST", url: "/v1/tickets", payload: "a,b", headers: { authorization: auth, "content-type": "text/csv" } });
    expect(res.statusCode).toBe(415);
    expect(res.json().message).toMatch(/"text\/csv".*application\/json/);
  });

  it.each([
    [{ items: [] }, "items: must hold at least one item"],
    [{ items: "x" }, "items: must be an array"],
    [{ items: Array.from({ length: 1001 }, () => ({})) }, "the most one request takes is 1000"],
  ])("answers 400 naming the problem for %#", async (payload, message) => {
    const res = await post("/v1/tickets", payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(message);
  });

  it("refuses a key without the ingest scope", async () => {
    const res = await post("/v1/tickets", ticket(), { authorization: await t.bearer(ws, ["read"]) });
    expect(res.statusCode).toBe(403);
  });
});
