/**
 * Alerts from end to end over real stores: mentions ingested through the API, enriched and rolled
 * up by the real processors, rules created through the API, buckets evaluated by the evaluator as
 * a clock moves past them, notifications delivered by a BullMQ worker to a local HTTP receiver
 * standing in for Slack and for a generic webhook.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Worker } from "bullmq";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";
import { fakeJob, makeTestWorkers } from "../../support/workers";
import { seededRandom } from "../../../bench/support/seeded-random";
import { makeAlertRulesRepo } from "../../../shared/db/alert-rules-repo";
import { makeAlertsRepo } from "../../../shared/db/alerts-repo";
import { makeRollupsRepo } from "../../../shared/db/rollups-repo";
import { makeFollowUpsRepo } from "../../../shared/db/follow-ups-repo";
import { loadSecretKey } from "../../../shared/crypto/secret-box";
import { generic } from "../../../shared/domain/webhooks/generic";
import { makeWorkerConnection } from "../../../shared/queues/connection";
import { QUEUES } from "../../../shared/queues/names";
import { makeDeliverNotifications } from "../../../workers/processors/deliver-notifications";
import { makeEvaluateAlerts } from "../../../workers/processors/evaluate-alerts";

const MIN = 60_000;
const BUCKET = 15 * MIN;
const SETTLE = 30_000;

interface Received {
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

let t: TestApi;
let ws: string;
let auth: string;
let receiver: Server;
let base: string;
const received: Received[] = [];
let clock = 0;
let evaluate: ReturnType<typeof makeEvaluateAlerts>;
let deliveryWorker: Worker;
let alerts: ReturnType<typeof makeAlertsRepo>;
let rules: ReturnType<typeof makeAlertRulesRepo>;
/** first bucket of the data, and the bucket the spike is in */
let start = 0;
let spike = 0;

const api = (method: "GET" | "POST" | "PATCH" | "DELETE", url: string, payload?: Record<string, unknown>) =>
  t.app.inject({ method, url, headers: { authorization: auth }, ...(payload === undefined ? {} : { payload }) });

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.statusCode = req.url === "/failing" ? 500 : 200;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  t = await makeTestApi({ NOTIFY_ATTEMPTS: "3", NOTIFY_BACKOFF_MS: "20", ALERT_SETTLE_MS: String(SETTLE) });
  const w = makeTestWorkers(t.config, t.mongo, t.queues, { now: () => new Date(clock) });
  ws = randomId("ws");
  auth = await t.bearer(ws, ["ingest", "read", "searches"]);

  // Two days of mentions, 3-7 per 15 minutes, then a spike of 60 about a login outage in one
  // bucket, then the usual again for 9 hours.
  start = Math.floor((Date.now() - 3 * 86_400_000) / BUCKET) * BUCKET;
  spike = start + 2 * 86_400_000;
  const rnd = seededRandom(11);
  const words = ["love the app", "great support today", "how do I export a report", "billing question about my plan", "the new dashboard looks nice"];
  const outage = ["cannot login since this morning, is there an outage", "outage again? the app will not load", "login broken for everyone, outage", "is acme down? outage reports everywhere", "outage: the login page shows an error"];
  const extra = ["tuesday", "seriously", "help", "why", "ugh", "please", "again"];
  const items: Record<string, unknown>[] = [];
  for (let b = start; b < spike + 9 * 3_600_000; b += BUCKET) {
    const n = b === spike ? 60 : 3 + Math.floor(rnd() * 5);
    for (let i = 0; i < n; i++) {
      const text = b === spike ? `${outage[i % outage.length]} ${extra[i % extra.length]}` : `${words[Math.floor(rnd() * words.length)]} ${i}`;
      items.push({ platform: "twitter", externalId: `m${b}-${i}`, postedAt: new Date(b + Math.floor((i * BUCKET) / n)).toISOString(), text });
    }
  }
  for (let i = 0; i < items.length; i += 1_000) {
    const res = await api("POST", "/v1/mentions", { items: items.slice(i, i + 1_000) });
    expect(res.statusCode, res.body).toBe(202);
  }
  await w.settle(ws);

  const key = loadSecretKey({ secretKey: t.config.SECRET_KEY, file: t.config.SECRET_KEY_FILE });
  rules = makeAlertRulesRepo(t.mongo.db, key, () => new Date(clock));
  alerts = makeAlertsRepo(t.mongo.db);
  const deps = { ...w.deps, rules, alerts, rollups: makeRollupsRepo(t.mongo.cols), followUps: makeFollowUpsRepo(t.mongo.cols.items, t.mongo.cols.followUpPolicies) };
  evaluate = makeEvaluateAlerts(deps);
  deliveryWorker = new Worker(QUEUES.deliverNotifications, makeDeliverNotifications({ ...deps, log: pino({ level: "silent" }) }), {
    connection: makeWorkerConnection(t.config.REDIS_URL!),
    prefix: t.config.QUEUE_PREFIX,
    concurrency: 4,
  });
}, 120_000);

afterAll(async () => {
  await deliveryWorker?.close();
  await t?.close();
  receiver?.close();
});

/** Moves the clock bucket by bucket up to `untilMs`, evaluating after each. */
async function runUntil(untilMs: number): Promise<void> {
  while (clock < untilMs) {
    clock = Math.min(untilMs, clock + BUCKET);
    await evaluate(fakeJob({}));
  }
}

async function waitFor<T>(what: string, f: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("a spike rule on mentions", () => {
  let ruleId = "";
  let failingRuleId = "";

  it("is created through the API, and bad rules are refused naming the field", async () => {
    const bad = await api("POST", "/v1/alert-rules", {
      name: "x", kind: "spike", metric: "resolution-time", resolution: "5m", filters: { channel: "email" },
      channels: [{ type: "slack", url: "https://user:pw@hooks.example.com/x" }],
    });
    expect(bad.statusCode).toBe(400);
    const paths = (bad.json().issues as { path: string }[]).map((i) => i.path);
    expect(paths).toEqual(["body.metric", "body.filters.channel", "body.channels.0.url"]);

    const res = await api("POST", "/v1/alert-rules", {
      name: "Mentions spike", kind: "spike", metric: "mentions", resolution: "15m",
      channels: [{ type: "slack", url: `${base}/slack/T000/B000/secretpart` }, { type: "webhook", url: `${base}/hook`, secret: "a-shared-secret-of-some-length" }],
    });
    expect(res.statusCode, res.body).toBe(201);
    ruleId = res.json().id;
    expect(res.json().channels).toEqual([
      { type: "slack", target: `${base}/…` },
      { type: "webhook", target: `${base}/…` },
    ]);
    // the stored rule holds neither the URL nor the secret in clear
    const stored = JSON.stringify(await t.mongo.db.collection("alert_rules").findOne({ _id: ruleId } as never));
    expect(stored).not.toContain("secretpart");
    expect(stored).not.toContain("a-shared-secret");

    const failing = await api("POST", "/v1/alert-rules", {
      name: "Mentions spike, broken receiver", kind: "spike", metric: "mentions", resolution: "15m",
      channels: [{ type: "webhook", url: `${base}/failing`, secret: "another-shared-secret" }],
    });
    expect(failing.statusCode, failing.body).toBe(201);
    failingRuleId = failing.json().id;
  });

  it("warms up on stored buckets, then opens exactly one alert at the spike and resolves it", async () => {
    clock = spike - BUCKET + SETTLE; // the newest complete bucket is the one before the one before the spike
    await evaluate(fakeJob({}));
    const warmed = (await api("GET", `/v1/alert-rules/${ruleId}`)).json();
    expect(warmed.lastBucket).toBe(new Date(spike - 2 * BUCKET).toISOString());
    expect((await api("GET", "/v1/alerts")).json().alerts).toEqual([]);

    await runUntil(spike + BUCKET + SETTLE); // the spike's bucket completes
    const list = (await api("GET", `/v1/alerts?rule=${ruleId}`)).json().alerts;
    expect(list).toHaveLength(1);
    const a = list[0];
    expect(a.state).toBe("open");
    expect(a.openedAt).toBe(new Date(spike).toISOString());
    expect(a.opening.value).toBe(60);
    expect(a.opening.upper).toBeLessThan(20);
    expect(a.opening.expected).toBeGreaterThan(2);
    expect(a.opening.expected).toBeLessThan(8);
    expect(a.why.terms.map((x: { term: string }) => x.term)).toEqual(expect.arrayContaining(["outage"]));
    expect(a.why.examples.length).toBeGreaterThan(0);
    expect(a.why.examples[0].text).toMatch(/outage/);

    await runUntil(spike + 8 * 3_600_000); // the 3-hour window carries the spike for 3 hours, then 3 normal hours resolve it
    const after = (await api("GET", `/v1/alerts?rule=${ruleId}`)).json().alerts;
    expect(after).toHaveLength(1);
    expect(after[0].state).toBe("resolved");
    expect(Date.parse(after[0].resolvedAt)).toBeGreaterThan(spike);
  });

  it("notifies each channel once: Slack in Block Kit, the webhook signed like our inbound webhook", async () => {
    const slack = await waitFor("the Slack message", async () => received.find((r) => r.path.startsWith("/slack")));
    const msg = JSON.parse(slack.body);
    if (process.env.DUMP_SLACK) (await import("node:fs")).writeFileSync(process.env.DUMP_SLACK, slack.body);
    expect(msg.text).toMatch(/^Spike in mentions: Mentions spike — 60 \(expected [\d.]+, normal [\d.]+–[\d.]+; n 60\)$/);
    expect(msg.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "Spike in mentions: Mentions spike", emoji: true } });
    expect(msg.blocks.map((b: { type: string }) => b.type)).toEqual(expect.arrayContaining(["section", "context"]));

    const hook = await waitFor("the webhook", async () => received.find((r) => r.path === "/hook"));
    // signed at the evaluator's clock: check it as a receiver would at that moment
    const signedAt = Number(/t=(\d+)/.exec(String(hook.headers["x-undercurrent-signature"]))![1]) * 1000;
    const verdict = generic.verify({ headers: hook.headers, rawBody: Buffer.from(hook.body), nowMs: signedAt }, "a-shared-secret-of-some-length");
    expect(generic.verify({ headers: hook.headers, rawBody: Buffer.from(hook.body), nowMs: signedAt }, "some-other-secret-value").ok).toBe(false);
    expect(verdict).toEqual({ ok: true });
    expect(JSON.parse(hook.body)).toMatchObject({ event: "alert.opened", alert: { ruleId, state: "open", opening: { value: 60 } } });

    const [alert] = (await api("GET", `/v1/alerts?rule=${ruleId}`)).json().alerts;
    await waitFor("deliveries recorded", async () => (await alerts.byId(alert.id))?.deliveries.every((d) => d.state === "delivered"));
    expect(received.filter((r) => r.path.startsWith("/slack") || r.path === "/hook")).toHaveLength(2);
  });

  it("a retried bucket neither opens a second alert nor notifies again", async () => {
    const [alert] = (await api("GET", `/v1/alerts?rule=${ruleId}`)).json().alerts;
    // As if the evaluation of the spike's bucket died after its side effects, before the rule moved:
    // put the rule back to the state it had before that bucket and evaluate again.
    const rule = (await rules.col.findOne({ _id: ruleId }))!;
    const rewound = { ...rule.state, lastStart: spike - BUCKET };
    // Rebuild the state at that point by replaying the same stored buckets through a fresh rule.
    const copy = await api("POST", "/v1/alert-rules", { name: "replay", kind: "spike", metric: "mentions", resolution: "15m" });
    const copyId = copy.json().id;
    const saved = clock;
    clock = spike + SETTLE; // the copy warms up to the bucket before the spike
    await evaluate(fakeJob({}));
    const before = (await rules.col.findOne({ _id: copyId }))!.state;
    expect(before.lastStart).toBe(rewound.lastStart);
    await rules.col.updateOne({ _id: ruleId }, { $set: { state: before, openAlertId: null } });
    clock = spike + BUCKET + SETTLE;
    await evaluate(fakeJob({}));
    clock = saved;
    const list = (await api("GET", `/v1/alerts?rule=${ruleId}`)).json().alerts;
    expect(list.map((a: { id: string }) => a.id)).toEqual([alert.id]);
    await new Promise((r) => setTimeout(r, 300)); // time for a second delivery, were one queued
    expect(received.filter((r) => r.path.startsWith("/slack") || r.path === "/hook")).toHaveLength(2);
    await api("DELETE", `/v1/alert-rules/${copyId}`);
  });

  it("retries a failing webhook, then shows the delivery as failed", async () => {
    const [alert] = (await api("GET", `/v1/alerts?rule=${failingRuleId}`)).json().alerts;
    expect(alert.openedAt).toBe(new Date(spike).toISOString());
    const failed = await waitFor("the failed delivery", async () => {
      const a = (await api("GET", `/v1/alerts/${alert.id}`)).json();
      return a.deliveries[0].state === "failed" ? a : null;
    });
    expect(failed.deliveries[0]).toMatchObject({ channel: "webhook", target: `${base}/…`, state: "failed", attempts: 3, lastError: "HTTP 500" });
    expect(received.filter((r) => r.path === "/failing")).toHaveLength(3);
  });

  it("is acknowledged and snoozed by API, and pages with a cursor", async () => {
    const [alert] = (await api("GET", `/v1/alerts?rule=${ruleId}`)).json().alerts;
    const ack = await api("POST", `/v1/alerts/${alert.id}/acknowledge`, { by: "dana" });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ acknowledgedBy: "dana" });
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const snooze = await api("POST", `/v1/alerts/${alert.id}/snooze`, { until });
    expect(snooze.json()).toEqual({ ruleId, snoozedUntil: until });
    expect((await api("GET", `/v1/alert-rules/${ruleId}`)).json().snoozedUntil).toBe(until);
    expect((await api("POST", `/v1/alerts/${alert.id}/snooze`, { until: "2020-01-01T00:00:00Z" })).statusCode).toBe(400);

    const all = (await api("GET", "/v1/alerts")).json().alerts.map((a: { id: string }) => a.id);
    expect(all.length).toBeGreaterThanOrEqual(2);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { alerts: { id: string }[]; nextCursor: string | null } = (await api("GET", `/v1/alerts?limit=1${cursor ? `&cursor=${cursor}` : ""}`)).json();
      expect(page.alerts.length).toBeLessThanOrEqual(1);
      paged.push(...page.alerts.map((a: { id: string }) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
  });

  it("keeps alerts to their workspace", async () => {
    const other = await t.bearer(randomId("ws"), ["read"]);
    const res = await t.app.inject({ method: "GET", url: "/v1/alerts", headers: { authorization: other } });
    expect(res.json().alerts).toEqual([]);
    const [alert] = (await api("GET", `/v1/alerts?rule=${ruleId}`)).json().alerts;
    expect((await t.app.inject({ method: "GET", url: `/v1/alerts/${alert.id}`, headers: { authorization: other } })).statusCode).toBe(404);
  });
});

describe("threshold rules", () => {
  it("stay quiet while too few items stand behind the value, and fire once enough do", async () => {
    const mk = async (minN: number) =>
      (await api("POST", "/v1/alert-rules", {
        name: `over 10 mentions per 15 minutes, n ≥ ${minN}`, kind: "threshold", metric: "mentions", resolution: "15m",
        threshold: { bound: 10, direction: "above", minN },
      })).json().id as string;
    const strict = await mk(1_000);
    const loose = await mk(20);
    clock = spike - BUCKET + SETTLE;
    await evaluate(fakeJob({}));
    await runUntil(spike + 2 * BUCKET + SETTLE);
    expect((await api("GET", `/v1/alerts?rule=${strict}`)).json().alerts).toEqual([]);
    const fired = (await api("GET", `/v1/alerts?rule=${loose}`)).json().alerts;
    expect(fired).toHaveLength(1);
    expect(fired[0].opening).toMatchObject({ value: 60, n: 60, expected: 10 });
  });
});

describe("snoozing a rule", () => {
  it("records a snoozed rule's episode without notifying, and notifies again once the snooze is ended through the API", async () => {
    const mk = async (path: string) =>
      (await api("POST", "/v1/alert-rules", {
        name: `over 10 mentions per 15 minutes (${path})`, kind: "threshold", metric: "mentions", resolution: "15m",
        threshold: { bound: 10, direction: "above", minN: 20 }, channels: [{ type: "slack", url: `${base}${path}` }],
      })).json().id as string;
    const snoozed = await mk("/slack/snoozed");
    const resumed = await mk("/slack/resumed");
    const until = new Date(spike + 86_400_000);
    await rules.snooze(ws, snoozed, until);
    await rules.snooze(ws, resumed, until);
    const end = await api("DELETE", `/v1/alert-rules/${resumed}/snooze`);
    expect(end.statusCode, end.body).toBe(200);
    expect(end.json()).toMatchObject({ id: resumed, snoozedUntil: null });
    expect((await api("GET", `/v1/alert-rules/${snoozed}`)).json().snoozedUntil).toBe(until.toISOString());
    expect((await api("DELETE", "/v1/alert-rules/r0000000000000000/snooze")).statusCode).toBe(404);

    clock = spike - BUCKET + SETTLE;
    await evaluate(fakeJob({}));
    await runUntil(spike + 2 * BUCKET + SETTLE);
    const [quiet] = (await api("GET", `/v1/alerts?rule=${snoozed}`)).json().alerts;
    const [loud] = (await api("GET", `/v1/alerts?rule=${resumed}`)).json().alerts;
    expect(quiet.openedAt).toBe(new Date(spike).toISOString());
    expect(quiet.deliveries).toMatchObject([{ channel: "slack", state: "snoozed", attempts: 0 }]);
    await waitFor("the resumed rule's delivery", async () => (await alerts.byId(loud.id))?.deliveries[0]?.state === "delivered");
    await new Promise((r) => setTimeout(r, 300)); // time for a snoozed delivery to go out, were one queued
    expect(received.filter((r) => r.path === "/slack/resumed")).toHaveLength(1);
    expect(received.filter((r) => r.path === "/slack/snoozed")).toHaveLength(0);
  });
});

describe("changing a rule (PATCH)", () => {
  it("changes only what it names: channels, search, filters, resolution, sensitivity and a pause stay, and the detector keeps its history", async () => {
    const created = await api("POST", "/v1/alert-rules", {
      name: "Twitter hourly", kind: "spike", metric: "mentions", resolution: "1h", sensitivity: "high", filters: { platform: "twitter" },
      channels: [{ type: "slack", url: `${base}/slack/patched` }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    await evaluate(fakeJob({})); // warms the new rule up to the clock
    const before = (await api("GET", `/v1/alert-rules/${id}`)).json();
    expect(before.lastBucket).not.toBeNull();

    const renamed = await api("PATCH", `/v1/alert-rules/${id}`, { name: "Twitter, hourly" });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toEqual({ ...before, name: "Twitter, hourly", updatedAt: renamed.json().updatedAt });

    expect((await api("PATCH", `/v1/alert-rules/${id}`, { enabled: false })).json().enabled).toBe(false);
    expect((await api("PATCH", `/v1/alert-rules/${id}`, { name: "Twitter hourly" })).json().enabled).toBe(false);

    // what it watches: the detector starts again (and warms up on stored history)
    const lower = (await api("PATCH", `/v1/alert-rules/${id}`, { sensitivity: "low" })).json();
    expect(lower).toMatchObject({ sensitivity: "low", resolution: "1h", filters: { platform: ["twitter"] }, channels: before.channels, lastBucket: null });
  });
});

describe("a rule that stops watching its series", () => {
  it("resolves its open alert when paused, changed or deleted, and a resumed rule warms up instead of alerting on the pause", async () => {
    const mk = async (name: string) =>
      (await api("POST", "/v1/alert-rules", {
        name, kind: "threshold", metric: "mentions", resolution: "15m", threshold: { bound: 10, direction: "above", minN: 20 },
      })).json().id as string;
    const [paused, changed, deleted] = [await mk("paused"), await mk("changed"), await mk("deleted")];
    clock = spike - BUCKET + SETTLE;
    await evaluate(fakeJob({}));
    await runUntil(spike + 2 * BUCKET + SETTLE);
    const openOf = async (id: string) => {
      const [a] = (await api("GET", `/v1/alerts?rule=${id}`)).json().alerts;
      expect(a.state, id).toBe("open");
      return a.id as string;
    };
    const alertIds = [await openOf(paused), await openOf(changed), await openOf(deleted)];

    expect((await api("PATCH", `/v1/alert-rules/${paused}`, { enabled: false })).statusCode).toBe(200);
    expect((await api("PATCH", `/v1/alert-rules/${changed}`, { threshold: { bound: 50, direction: "above", minN: 20 } })).statusCode).toBe(200);
    expect((await api("DELETE", `/v1/alert-rules/${deleted}`)).statusCode).toBe(204);
    for (const id of alertIds) {
      const a = (await api("GET", `/v1/alerts/${id}`)).json();
      expect(a.state, id).toBe("resolved");
      expect(a.resolvedAt, id).not.toBeNull();
    }

    // resumed: it learns from the stored buckets up to now, without alerting on them
    const resumed = (await api("PATCH", `/v1/alert-rules/${paused}`, { enabled: true })).json();
    expect(resumed).toMatchObject({ enabled: true, lastBucket: null, openAlertId: null });
    await evaluate(fakeJob({}));
    expect((await api("GET", `/v1/alert-rules/${paused}`)).json().lastBucket).not.toBeNull();
    expect((await api("GET", `/v1/alerts?rule=${paused}`)).json().alerts).toHaveLength(1);
  });
});
