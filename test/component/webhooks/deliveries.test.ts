import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signGeneric } from "../../../shared/domain/webhooks";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";

let t: TestApi;
let ws: string;
let admin: string;
const SECRET = "s3cret-s3cret-s3cret";

beforeAll(async () => {
  t = await makeTestApi();
  ws = randomId("ws");
  admin = await t.bearer(ws, ["admin"]);
  for (const provider of ["generic", "intercom"]) {
    const res = await t.app.inject({
      method: "PUT", url: `/v1/webhooks/${provider}/secret`, headers: { authorization: admin }, payload: { secret: SECRET },
    });
    expect(res.statusCode).toBe(204);
  }
});
afterAll(async () => t?.close());

function genericDelivery(body: string, headers: Record<string, string>) {
  return t.app.inject({
    method: "POST", url: `/v1/webhooks/generic/${ws}`, payload: body, headers: { "content-type": "application/json", ...headers },
  });
}

describe("webhook secrets", () => {
  it("needs the admin scope and a long enough secret", async () => {
    const weak = await t.app.inject({
      method: "PUT", url: "/v1/webhooks/zendesk/secret", headers: { authorization: admin }, payload: { secret: "short" },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().message).toMatch(/secret.*16/);
    const notAdmin = await t.app.inject({
      method: "PUT", url: "/v1/webhooks/zendesk/secret", headers: { authorization: await t.bearer(ws, ["ingest"]) },
      payload: { secret: SECRET },
    });
    expect(notAdmin.statusCode).toBe(403);
  });
});

describe("generic webhook deliveries", () => {
  const unix = Math.floor(Date.now() / 1000);
  const ticket = (id: string) =>
    JSON.stringify({ tickets: [{ externalId: id, status: "open", channel: "chat", createdAt: "2026-03-02T10:00:00Z" }] });

  it("stores the tickets of a correctly signed delivery, once even when delivered twice", async () => {
    const id = randomId("gx");
    const body = ticket(id);
    const headers = { "x-undercurrent-signature": signGeneric(SECRET, body, unix) };
    const first = await genericDelivery(body, headers);
    expect(first.statusCode).toBe(202);
    expect(first.json().items[0].status).toBe("created");
    const again = await genericDelivery(body, headers);
    expect(again.json().items[0].status).toBe("unchanged");
    expect(await t.mongo.cols.items.countDocuments({ workspace: ws, externalId: id })).toBe(1);
  });

  it("refuses a delivery whose body changed by one byte, and stores nothing", async () => {
    const id = randomId("gx");
    const body = ticket(id);
    const res = await genericDelivery(body.replace('"open"', '"opem"'), { "x-undercurrent-signature": signGeneric(SECRET, body, unix) });
    expect(res.statusCode).toBe(401);
    expect(await t.mongo.cols.items.countDocuments({ externalId: id })).toBe(0);
  });

  it("refuses a missing signature and a wrong secret", async () => {
    const body = ticket(randomId("gx"));
    expect((await genericDelivery(body, {})).statusCode).toBe(401);
    expect((await genericDelivery(body, { "x-undercurrent-signature": signGeneric("another-secret-xxxx", body, unix) })).statusCode).toBe(401);
  });

  it("refuses deliveries to a workspace without a secret", async () => {
    const body = ticket(randomId("gx"));
    const res = await t.app.inject({
      method: "POST", url: `/v1/webhooks/generic/${randomId("nows")}`, payload: body,
      headers: { "content-type": "application/json", "x-undercurrent-signature": signGeneric(SECRET, body, unix) },
    });
    expect(res.statusCode).toBe(401);
  });
});

describe("intercom", () => {
  it("answers its ping topic", async () => {
    const body = JSON.stringify({ type: "notification_event", topic: "ping", data: { item: { type: "ping", message: "hi" } } });
    const sig = `sha1=${createHmac("sha1", SECRET).update(body).digest("hex")}`;
    const res = await t.app.inject({
      method: "POST", url: `/v1/webhooks/intercom/${ws}`, payload: body,
      headers: { "content-type": "application/json", "x-hub-signature": sig },
    });
    expect(res.statusCode).toBe(200);
  });
});
