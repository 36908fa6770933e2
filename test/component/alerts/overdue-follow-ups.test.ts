/**
 * Overdue follow-ups reach the alert channels: a threshold rule on `overdue-follow-ups` opens an
 * alert (with the oldest overdue answers as examples) when follow-ups are past due at a bucket's
 * end, notifies its webhook, and resolves once they are done.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Worker } from "bullmq";
import { pino } from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";
import { fakeJob, makeTestWorkers } from "../../support/workers";
import { loadSecretKey } from "../../../shared/crypto/secret-box";
import { makeAlertRulesRepo } from "../../../shared/db/alert-rules-repo";
import { makeAlertsRepo } from "../../../shared/db/alerts-repo";
import { makeFollowUpsRepo } from "../../../shared/db/follow-ups-repo";
import { makeRollupsRepo } from "../../../shared/db/rollups-repo";
import { makeWorkerConnection } from "../../../shared/queues/connection";
import { QUEUES } from "../../../shared/queues/names";
import { makeDeliverNotifications } from "../../../workers/processors/deliver-notifications";
import { makeEvaluateAlerts } from "../../../workers/processors/evaluate-alerts";

const HOUR = 3_600_000;
let t: TestApi;
let clock = Date.parse("2026-03-10T12:10:00Z");
let receiver: Server;
let base: string;
const bodies: string[] = [];
let worker: Worker;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      bodies.push(body);
      res.end("ok");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  t = await makeTestApi({ ALERT_SETTLE_MS: "0" }, { now: () => new Date(clock) });
}, 60_000);

afterAll(async () => {
  await worker?.close();
  await t?.close();
  receiver?.close();
});

it("opens an alert while follow-ups are overdue, tells the webhook, and resolves when they are done", async () => {
  const ws = randomId("ws");
  const auth = await t.bearer(ws, ["ingest", "read", "searches"]);
  const call = async (method: "GET" | "POST", url: string, payload?: object) => {
    const r = await t.app.inject({ method, url, headers: { authorization: auth }, ...(payload ? { payload } : {}) });
    return { status: r.statusCode, body: r.json() };
  };
  // Two detractors (due at the end of the third day after, UTC): overdue on 10 March; a promoter due 17 March.
  expect((await call("POST", "/v1/surveys", { items: [
    { externalId: "d1", kind: "nps", score: 2, respondedAt: "2026-03-02T10:00:00Z", customer: { id: "c1" } },
    { externalId: "d2", kind: "nps", score: 5, respondedAt: "2026-03-03T10:00:00Z", customer: { id: "c2" } },
    { externalId: "p1", kind: "nps", score: 10, respondedAt: "2026-03-09T10:00:00Z" },
  ] })).status).toBe(202);

  const bad = await call("POST", "/v1/alert-rules", { name: "x", kind: "spike", metric: "overdue-follow-ups", resolution: "5m" });
  expect(bad.body.issues.map((i: { path: string }) => i.path)).toEqual(["body.kind", "body.resolution"]);
  const rule = await call("POST", "/v1/alert-rules", {
    name: "Follow-ups overdue", kind: "threshold", metric: "overdue-follow-ups", resolution: "1h",
    threshold: { bound: 0, direction: "above", minN: 1 },
    channels: [{ type: "webhook", url: `${base}/hook`, secret: "a-shared-secret-value" }],
  });
  expect(rule.status, JSON.stringify(rule.body)).toBe(201);

  const w = makeTestWorkers(t.config, t.mongo, t.queues, { now: () => new Date(clock) });
  const key = loadSecretKey({ secretKey: t.config.SECRET_KEY, file: t.config.SECRET_KEY_FILE });
  const deps = {
    ...w.deps,
    rules: makeAlertRulesRepo(t.mongo.db, key),
    alerts: makeAlertsRepo(t.mongo.db),
    rollups: makeRollupsRepo(t.mongo.cols),
    followUps: makeFollowUpsRepo(t.mongo.cols.items, t.mongo.cols.followUpPolicies),
  };
  const evaluate = makeEvaluateAlerts(deps);
  worker = new Worker(QUEUES.deliverNotifications, makeDeliverNotifications({ ...deps, log: pino({ level: "silent" }) }), {
    connection: makeWorkerConnection(t.config.REDIS_URL!),
    prefix: t.config.QUEUE_PREFIX,
  });
  const tick = async (ms: number) => {
    clock += ms;
    await evaluate(fakeJob({}));
  };

  await tick(0); // the rule starts just before the newest complete hour (11:00-12:00)
  await tick(0); // ... and evaluates it: two follow-ups were overdue at 12:00
  let alerts = (await call("GET", "/v1/alerts")).body.alerts;
  expect(alerts).toHaveLength(1);
  expect(alerts[0]).toMatchObject({ state: "open", metric: "overdue-follow-ups", openedAt: "2026-03-10T11:00:00.000Z", opening: { value: 2, n: 2, expected: 0 } });
  expect(alerts[0].why.examples.map((e: { id: string }) => e.id)).toEqual(["d1", "d2"]); // oldest due first
  expect(alerts[0].why.examples[0].text).toBe("NPS 2 (detractor) from customer c1, due 2026-03-06T00:00:00.000Z");

  await expect.poll(async () => bodies.length, { timeout: 10_000 }).toBe(1);
  expect(JSON.parse(bodies[0]!)).toMatchObject({ event: "alert.opened", alert: { ruleName: "Follow-ups overdue", opening: { value: 2 } } });

  // Both followed up at 12:30: the 12:00-13:00 bucket ends with none overdue; 3 quiet hours resolve it.
  for (const id of ["d1", "d2"]) expect((await call("POST", `/v1/surveys/${id}/follow-up`, { by: "sam", at: "2026-03-10T12:30:00Z" })).status).toBe(200);
  await tick(HOUR);
  await tick(HOUR);
  await tick(HOUR);
  alerts = (await call("GET", "/v1/alerts")).body.alerts;
  expect(alerts).toHaveLength(1);
  expect(alerts[0]).toMatchObject({ state: "resolved", resolvedAt: "2026-03-10T15:00:00.000Z" });
  expect(bodies).toHaveLength(1); // one notification per alert
});
