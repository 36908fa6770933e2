import { describe, expect, it } from "vitest";
import { INTERCOM_CHANNELS, WEBHOOK_ADAPTERS, WebhookPayloadError } from "../../../shared/domain/webhooks";
import { fixture, flipByte, flipChar, mac, onlyTicket, request } from "./support";

const adapter = WEBHOOK_ADAPTERS.intercom;
const SECRET = "intercom-client-secret-for-tests";
const sign = (body: Buffer, secret = SECRET) => ({ "x-hub-signature": `sha1=${mac("sha1", secret, [body], "hex")}` });

describe("intercom verify", () => {
  const { raw } = fixture("intercom-conversation-user-created.json");

  it("accepts sha1=<hex HMAC-SHA1 of the raw body>", () => {
    expect(adapter.verify(request(raw, sign(raw)), SECRET)).toEqual({ ok: true });
  });

  it("accepts upper-case hex", () => {
    const h = sign(raw)["x-hub-signature"];
    expect(adapter.verify(request(raw, { "x-hub-signature": `sha1=${h.slice(5).toUpperCase()}` }), SECRET).ok).toBe(true);
  });

  it("refuses when one byte of the body changes", () => {
    expect(adapter.verify(request(flipByte(raw), sign(raw)), SECRET)).toEqual({ ok: false, reason: "signature does not match" });
  });

  it("refuses when the secret differs", () => {
    expect(adapter.verify(request(raw, sign(raw)), flipChar(SECRET)).ok).toBe(false);
  });

  it("refuses a missing header, a missing sha1= prefix and a truncated signature", () => {
    expect(adapter.verify(request(raw, {}), SECRET)).toEqual({ ok: false, reason: "missing x-hub-signature header" });
    const hex = sign(raw)["x-hub-signature"].slice(5);
    expect(adapter.verify(request(raw, { "x-hub-signature": hex }), SECRET).ok).toBe(false);
    expect(adapter.verify(request(raw, { "x-hub-signature": `sha1=${hex.slice(0, 20)}` }), SECRET).ok).toBe(false);
  });

  it("takes the first value when the header is repeated", () => {
    const good = sign(raw)["x-hub-signature"];
    expect(adapter.verify(request(raw, { "x-hub-signature": [good, "sha1=00"] }), SECRET).ok).toBe(true);
  });
});

describe("intercom map", () => {
  const req = request("", {});

  it("answers the ping topic with 200", () => {
    expect(adapter.map(fixture("intercom-ping.json").json, req)).toEqual({ kind: "reply", status: 200, body: { ok: true } });
  });

  it("maps conversation.user.created to a new chat ticket with the plain-text first message", () => {
    const t = onlyTicket(adapter.map(fixture("intercom-conversation-user-created.json").json, req));
    expect(t).toMatchObject({
      source: "intercom",
      externalId: "1911149811",
      channel: "chat",
      status: "new",
      priority: "normal",
      tags: ["android"],
      team: "5017691",
      customer: { id: "cust-7731" },
      body: "Hi there, the app crashes when I upload a photo.\nVersion 4.2 on Android & it worked last week.",
      agentReplies: 0,
      customerMessages: 1,
      reopens: 0,
    });
    expect(t.createdAt.toISOString()).toBe("2026-03-02T09:12:00.000Z");
    expect(t.updatedAt.toISOString()).toBe("2026-03-02T09:12:10.000Z");
    expect(t.firstResponseAt).toBeUndefined();
  });

  it("maps conversation.admin.closed with statistics and counted parts", () => {
    const t = onlyTicket(adapter.map(fixture("intercom-conversation-admin-closed.json").json, req));
    expect(t).toMatchObject({
      status: "closed",
      priority: "high",
      assignee: "814860",
      tags: ["android", "bug"],
      agentReplies: 2,
      customerMessages: 3,
      reopens: 1,
    });
    expect(t.firstResponseAt?.toISOString()).toBe("2026-03-02T09:20:00.000Z");
    expect(t.resolvedAt?.toISOString()).toBe("2026-03-02T11:00:00.000Z");
  });

  it("keeps a lower bound of one agent reply when the parts list is partial", () => {
    const p = structuredClone(fixture("intercom-conversation-admin-closed.json").json) as any;
    p.data.item.conversation_parts.conversation_parts = p.data.item.conversation_parts.conversation_parts.slice(-2);
    const t = onlyTicket(adapter.map(p, req));
    expect(t.agentReplies).toBe(1);
    // The parts list is incomplete, so the customer message count is unknown: left unset.
    expect(t.customerMessages).toBeUndefined();
  });

  it("maps snoozed to pending and drops resolvedAt on a reopened conversation", () => {
    const p = structuredClone(fixture("intercom-conversation-admin-closed.json").json) as any;
    p.topic = "conversation.admin.snoozed";
    p.data.item.state = "snoozed";
    const t = onlyTicket(adapter.map(p, req));
    expect(t.status).toBe("pending");
    expect(t.resolvedAt).toBeUndefined();
  });

  it.each([
    ["conversation", "chat"],
    ["email", "email"],
    ["phone_call", "phone"],
    ["sms", "sms"],
    ["whatsapp", "messaging"],
    ["facebook", "social"],
    ["twitter", "social"],
    ["instagram", "social"],
    ["push", "other"],
    ["brand_new", "other"],
  ])("maps source.type %s to %s", (type, channel) => {
    const p = structuredClone(fixture("intercom-conversation-user-created.json").json) as any;
    p.data.item.source.type = type;
    expect(onlyTicket(adapter.map(p, req)).channel).toBe(channel);
    expect(Object.values(INTERCOM_CHANNELS)).toContain(INTERCOM_CHANNELS[type] ?? "other");
  });

  it("does not use an admin-initiated message as the customer's body", () => {
    const p = structuredClone(fixture("intercom-conversation-user-created.json").json) as any;
    p.topic = "conversation.admin.single.created";
    p.data.item.source.author.type = "admin";
    expect(onlyTicket(adapter.map(p, req)).body).toBeUndefined();
  });

  it("ignores non-conversation topics and conversation.deleted", () => {
    expect(adapter.map(fixture("intercom-contact-created.json").json, req).kind).toBe("ignored");
    const p = { ...(fixture("intercom-conversation-user-created.json").json as object), topic: "conversation.deleted" };
    expect(adapter.map(p, req).kind).toBe("ignored");
  });

  it.each([
    ["data.item", (p: any) => delete p.data.item],
    ["data.item.id", (p: any) => delete p.data.item.id],
    ["data.item.created_at", (p: any) => (p.data.item.created_at = "soon")],
  ])("throws WebhookPayloadError naming %s", (path, mutate) => {
    const p = structuredClone(fixture("intercom-conversation-user-created.json").json) as any;
    mutate(p);
    expect(() => adapter.map(p, req)).toThrow(WebhookPayloadError);
    expect(() => adapter.map(p, req)).toThrow(path);
  });
});
