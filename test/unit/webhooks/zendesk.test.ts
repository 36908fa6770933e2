import { describe, expect, it } from "vitest";
import { WEBHOOK_ADAPTERS, WebhookPayloadError, ZENDESK_CHANNELS } from "../../../shared/domain/webhooks";
import { NOW_MS, fixture, flipByte, flipChar, mac, onlyTicket, request } from "./support";

const adapter = WEBHOOK_ADAPTERS.zendesk;
const SECRET = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==";
const TS = "2026-03-02T09:59:30Z";

function signed(body: Buffer, opts: { ts?: string; secret?: string } = {}) {
  const ts = opts.ts ?? TS;
  return {
    "x-zendesk-webhook-signature": mac("sha256", opts.secret ?? SECRET, [ts, body], "base64"),
    "x-zendesk-webhook-signature-timestamp": ts,
  };
}

describe("zendesk verify", () => {
  const { raw } = fixture("zendesk-ticket-created.json");

  it("accepts a correct signature over timestamp + raw body", () => {
    expect(adapter.verify(request(raw, signed(raw)), SECRET)).toEqual({ ok: true });
  });

  it("accepts an ISO timestamp with an offset", () => {
    const ts = "2026-03-02T11:02:00+01:00";
    expect(adapter.verify(request(raw, signed(raw, { ts })), SECRET).ok).toBe(true);
  });

  it("refuses when one byte of the body changes", () => {
    expect(adapter.verify(request(flipByte(raw), signed(raw)), SECRET)).toEqual({ ok: false, reason: "signature does not match" });
  });

  it("refuses when the timestamp header changes (signature kept)", () => {
    const headers = { ...signed(raw), "x-zendesk-webhook-signature-timestamp": "2026-03-02T09:59:31Z" };
    expect(adapter.verify(request(raw, headers), SECRET).ok).toBe(false);
  });

  it("refuses when the secret differs by one character", () => {
    expect(adapter.verify(request(raw, signed(raw)), flipChar(SECRET, 3)).ok).toBe(false);
  });

  it("refuses a tampered signature of the same length", () => {
    const headers = signed(raw);
    headers["x-zendesk-webhook-signature"] = flipChar(headers["x-zendesk-webhook-signature"], 0);
    expect(adapter.verify(request(raw, headers), SECRET).ok).toBe(false);
  });

  it.each([["x-zendesk-webhook-signature"], ["x-zendesk-webhook-signature-timestamp"]])("refuses when %s is missing", (name) => {
    const headers: Record<string, string | undefined> = signed(raw);
    delete headers[name];
    const r = adapter.verify(request(raw, headers), SECRET);
    expect(r).toEqual({ ok: false, reason: `missing ${name} header` });
  });

  it.each([
    ["6 minutes old", "2026-03-02T09:54:00Z"],
    ["6 minutes ahead", "2026-03-02T10:06:00Z"],
  ])("refuses a timestamp %s", (_label, ts) => {
    const r = adapter.verify(request(raw, signed(raw, { ts })), SECRET);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/5 minutes/);
  });

  it("refuses a non-ISO timestamp even when signed", () => {
    const ts = String(NOW_MS / 1000);
    expect(adapter.verify(request(raw, signed(raw, { ts })), SECRET).ok).toBe(false);
  });

  it("never puts the secret or the expected signature in the reason", () => {
    const headers = signed(raw);
    const expected = headers["x-zendesk-webhook-signature"];
    const r = adapter.verify(request(flipByte(raw), headers), SECRET);
    expect(JSON.stringify(r)).not.toContain(SECRET);
    expect(JSON.stringify(r)).not.toContain(mac("sha256", SECRET, [TS, flipByte(raw)], "base64"));
    expect(JSON.stringify(r)).not.toContain(expected);
  });

  it("refuses everything when no secret is configured", () => {
    expect(adapter.verify(request(raw, signed(raw, { secret: "" })), "").ok).toBe(false);
  });
});

describe("zendesk map", () => {
  const req = request("", {});

  it("maps ticket.created into a new email ticket with the description as body", () => {
    const t = onlyTicket(adapter.map(fixture("zendesk-ticket-created.json").json, req));
    expect(t).toMatchObject({
      source: "zendesk",
      externalId: "5158",
      channel: "email",
      subject: "Charged twice for March",
      body: "Hi, I was charged twice for my March invoice. Can you refund the duplicate charge?",
      status: "new",
      priority: "normal",
      tags: ["billing", "refund"],
      team: "8447320466430",
      customer: { id: "8447388090494", attributes: { organizationId: "8447346622462" } },
    });
    // Zendesk event payloads carry no counters: left unset (the store defaults them on first insert).
    expect(t.agentReplies).toBeUndefined();
    expect(t.customerMessages).toBeUndefined();
    expect(t.reopens).toBeUndefined();
    expect(t.createdAt.toISOString()).toBe("2026-03-02T09:12:07.000Z");
    expect(t.updatedAt.toISOString()).toBe("2026-03-02T09:12:07.512Z");
    expect(t.assignee).toBeUndefined();
    expect(t.resolvedAt).toBeUndefined();
  });

  it('treats "0" ids as none', () => {
    const p = structuredClone(fixture("zendesk-ticket-created.json").json) as any;
    p.detail.organization_id = "0";
    p.detail.group_id = "0";
    const t = onlyTicket(adapter.map(p, req));
    expect(t.team).toBeUndefined();
    expect(t.customer).toEqual({ id: "8447388090494" });
  });

  it("maps comment_added with the event time as updatedAt", () => {
    const t = onlyTicket(adapter.map(fixture("zendesk-comment-added.json").json, req));
    expect(t).toMatchObject({ status: "open", priority: "high", assignee: "8447388090495" });
    expect(t.updatedAt.toISOString()).toBe("2026-03-02T09:40:30.123Z");
  });

  it("maps status_changed to SOLVED with resolvedAt at the event time", () => {
    const t = onlyTicket(adapter.map(fixture("zendesk-status-solved.json").json, req));
    expect(t.status).toBe("solved");
    expect(t.channel).toBe("web");
    expect(t.resolvedAt?.toISOString()).toBe("2026-03-02T09:55:20.987Z");
  });

  it.each([
    ["HOLD", "pending"],
    ["CLOSED", "closed"],
    ["ARCHIVED", "closed"],
    ["pending", "pending"],
  ])("maps status %s to %s", (zd, canonical) => {
    const payload = structuredClone(fixture("zendesk-status-solved.json").json) as { detail: { status: string } };
    payload.detail.status = zd;
    expect(onlyTicket(adapter.map(payload, req)).status).toBe(canonical);
  });

  it.each([
    ["email", "email"],
    ["web", "web"],
    ["help_center", "web"],
    ["chat", "chat"],
    ["native_messaging", "messaging"],
    ["whatsapp", "messaging"],
    ["voice", "phone"],
    ["sms", "sms"],
    ["twitter", "social"],
    ["facebook_message", "social"],
    ["web_service", "other"],
    ["api", "other"],
    ["something_new", "other"],
  ])("maps via.channel %s to %s", (via, channel) => {
    const payload = structuredClone(fixture("zendesk-ticket-created.json").json) as { detail: { via: { channel: string } } };
    payload.detail.via.channel = via;
    expect(onlyTicket(adapter.map(payload, req)).channel).toBe(channel);
  });

  it("has only canonical channels in its table", () => {
    for (const c of Object.values(ZENDESK_CHANNELS)) expect(["email", "chat", "phone", "social", "web", "sms", "messaging", "other"]).toContain(c);
  });

  it("ignores non-ticket events and deletions", () => {
    expect(adapter.map(fixture("zendesk-user-created.json").json, req)).toMatchObject({ kind: "ignored" });
    const deleted = { ...(fixture("zendesk-ticket-created.json").json as object), type: "zen:event-type:ticket.soft_deleted" };
    expect(adapter.map(deleted, req).kind).toBe("ignored");
    const scrubbed = structuredClone(fixture("zendesk-ticket-created.json").json) as { detail: { status: string } };
    scrubbed.detail.status = "DELETED";
    expect(adapter.map(scrubbed, req).kind).toBe("ignored");
  });

  it.each([
    ["detail missing", (p: Record<string, any>) => delete p.detail, "detail"],
    ["detail.id missing", (p: Record<string, any>) => delete p.detail.id, "detail.id"],
    ["detail.created_at missing", (p: Record<string, any>) => delete p.detail.created_at, "detail.created_at"],
    ["detail.created_at not a date", (p: Record<string, any>) => (p.detail.created_at = "yesterday"), "detail.created_at"],
    ["unknown status", (p: Record<string, any>) => (p.detail.status = "WEIRD"), "detail.status"],
  ])("throws WebhookPayloadError when %s", (_label, mutate, path) => {
    const payload = structuredClone(fixture("zendesk-ticket-created.json").json) as Record<string, any>;
    mutate(payload);
    let err: unknown;
    try {
      adapter.map(payload, req);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WebhookPayloadError);
    expect(err).toMatchObject({ statusCode: 400, code: "webhook_payload_invalid", path });
    expect((err as Error).message).toContain(`zendesk webhook: ${path}:`);
  });

  it("throws on a body that is not an object", () => {
    expect(() => adapter.map([1, 2], req)).toThrow(WebhookPayloadError);
  });
});
