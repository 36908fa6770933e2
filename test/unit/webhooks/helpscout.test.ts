import { describe, expect, it } from "vitest";
import { WEBHOOK_ADAPTERS, WebhookPayloadError, helpscoutChannel } from "../../../shared/domain/webhooks";
import { fixture, flipByte, flipChar, mac, onlyTicket, request } from "./support";

const adapter = WEBHOOK_ADAPTERS.helpscout;
const SECRET = "hs-secret-40-chars-or-less";
const sign = (body: Buffer, secret = SECRET) => ({ "x-helpscout-signature": mac("sha1", secret, [body], "base64") });

describe("help scout verify", () => {
  const { raw } = fixture("helpscout-convo-created.json");

  it("accepts a base64 HMAC-SHA1 of the raw body", () => {
    expect(adapter.verify(request(raw, sign(raw)), SECRET)).toEqual({ ok: true });
  });

  it("refuses when one byte of the body changes", () => {
    expect(adapter.verify(request(flipByte(raw), sign(raw)), SECRET).ok).toBe(false);
  });

  it("refuses when the secret differs", () => {
    expect(adapter.verify(request(raw, sign(raw)), flipChar(SECRET)).ok).toBe(false);
  });

  it("refuses a missing signature header", () => {
    expect(adapter.verify(request(raw, { "x-helpscout-event": "convo.created" }), SECRET)).toEqual({
      ok: false,
      reason: "missing x-helpscout-signature header",
    });
  });

  it("refuses a hex signature where base64 is expected", () => {
    expect(adapter.verify(request(raw, { "x-helpscout-signature": mac("sha1", SECRET, [raw], "hex") }), SECRET).ok).toBe(false);
  });
});

describe("help scout map", () => {
  const event = (name: string) => request("", { "x-helpscout-event": name });

  it("maps convo.created (email type, web form source) to a new web ticket", () => {
    const t = onlyTicket(adapter.map(fixture("helpscout-convo-created.json").json, event("convo.created")));
    expect(t).toMatchObject({
      source: "helpscout",
      externalId: "291938",
      channel: "web",
      subject: "Invoice shows the wrong VAT number",
      body: "Hello,\nmy last invoice lists an old VAT number. Could you correct it?",
      status: "new",
      tags: ["invoice", "vat"],
      team: "Billing",
      customer: { id: "29418" },
      agentReplies: 0,
      customerMessages: 1,
    });
    // Help Scout sends no reopen count.
    expect(t.reopens).toBeUndefined();
    expect(t.updatedAt.toISOString()).toBe("2026-03-02T09:20:00.000Z");
  });

  it("maps a closed chat with embedded threads (newest first), counting replies and skipping notes", () => {
    const t = onlyTicket(adapter.map(fixture("helpscout-convo-status-closed.json").json, event("convo.status")));
    expect(t).toMatchObject({
      externalId: "291940",
      channel: "chat",
      status: "closed",
      assignee: "4",
      team: "85",
      tags: ["password-reset"],
      customer: { id: "30501" },
      body: "I can't reset my password, the link has expired.",
      agentReplies: 2,
      customerMessages: 2,
    });
    expect(t.firstResponseAt?.toISOString()).toBe("2026-03-02T08:04:00.000Z");
    expect(t.resolvedAt?.toISOString()).toBe("2026-03-02T08:25:00.000Z");
  });

  it("leaves counters unset when the payload has no threads", () => {
    const p = structuredClone(fixture("helpscout-convo-created.json").json) as any;
    delete p.threads;
    const t = onlyTicket(adapter.map(p, event("convo.assigned")));
    expect(t.status).toBe("open");
    expect(t.agentReplies).toBeUndefined();
    expect(t.customerMessages).toBeUndefined();
    expect(t.body).toBeUndefined();
  });

  it.each([
    ["email", "email", "email"],
    ["email", "emailfwd", "email"],
    ["email", "web", "web"],
    ["email", "beacon-v2", "web"],
    ["email", "api", "email"],
    ["email", undefined, "email"],
    ["chat", "beacon-v2", "chat"],
    ["phone", "email", "phone"],
    ["fax", undefined, "other"],
  ])("maps type %s with source.type %s to %s", (type, sourceType, channel) => {
    expect(helpscoutChannel(type, sourceType)).toBe(channel);
  });

  it.each([
    ["active", "open"],
    ["pending", "pending"],
    ["closed", "closed"],
  ])("maps status %s to %s", (hs, canonical) => {
    const p = structuredClone(fixture("helpscout-convo-created.json").json) as any;
    p.status = hs;
    p.closedAt = "2026-03-02T09:30:00Z";
    expect(onlyTicket(adapter.map(p, event("convo.status"))).status).toBe(canonical);
  });

  it("ignores spam, non-conversation events, deletions and a missing event header", () => {
    const spam = { ...(fixture("helpscout-convo-created.json").json as object), status: "spam" };
    expect(adapter.map(spam, event("convo.status")).kind).toBe("ignored");
    expect(adapter.map(fixture("helpscout-customer-created.json").json, event("customer.created")).kind).toBe("ignored");
    expect(adapter.map({ id: 291938 }, event("convo.deleted")).kind).toBe("ignored");
    expect(adapter.map(fixture("helpscout-convo-created.json").json, request("", {})).kind).toBe("ignored");
  });

  it.each([
    ["id", (p: any) => delete p.id],
    ["createdAt", (p: any) => delete p.createdAt],
    ["status", (p: any) => (p.status = "limbo")],
  ])("throws WebhookPayloadError naming %s", (path, mutate) => {
    const p = structuredClone(fixture("helpscout-convo-created.json").json) as any;
    mutate(p);
    expect(() => adapter.map(p, event("convo.created"))).toThrow(WebhookPayloadError);
    expect(() => adapter.map(p, event("convo.created"))).toThrow(`helpscout webhook: ${path}`);
  });
});
