import { describe, expect, it } from "vitest";
import { FRONT_CHANNELS, WEBHOOK_ADAPTERS, WebhookPayloadError } from "../../../shared/domain/webhooks";
import { NOW_MS, fixture, flipByte, flipChar, mac, onlyTicket, request } from "./support";

const adapter = WEBHOOK_ADAPTERS.front;
const SECRET = "front-app-signing-key";
const TS = String(NOW_MS - 20_000); // milliseconds, as Front sends

function signed(body: Buffer, opts: { ts?: string; secret?: string } = {}): Record<string, string> {
  const ts = opts.ts ?? TS;
  return { "x-front-signature": mac("sha256", opts.secret ?? SECRET, [`${ts}:`, body], "base64"), "x-front-request-timestamp": ts };
}

describe("front verify", () => {
  const { raw } = fixture("front-inbound-received.json");

  it("accepts base64 HMAC-SHA256 of timestamp + ':' + raw body", () => {
    expect(adapter.verify(request(raw, signed(raw)), SECRET)).toEqual({ ok: true });
  });

  it("accepts a timestamp in seconds too", () => {
    expect(adapter.verify(request(raw, signed(raw, { ts: String(NOW_MS / 1000 - 20) })), SECRET).ok).toBe(true);
  });

  it("refuses when one byte of the body changes", () => {
    expect(adapter.verify(request(flipByte(raw), signed(raw)), SECRET)).toEqual({ ok: false, reason: "signature does not match" });
  });

  it("refuses when the timestamp changes (signature kept)", () => {
    const headers = { ...signed(raw), "x-front-request-timestamp": String(Number(TS) + 1) };
    expect(adapter.verify(request(raw, headers), SECRET).ok).toBe(false);
  });

  it("refuses when the secret differs", () => {
    expect(adapter.verify(request(raw, signed(raw)), flipChar(SECRET)).ok).toBe(false);
  });

  it.each([["x-front-signature"], ["x-front-request-timestamp"]])("refuses when %s is missing", (name) => {
    const headers = signed(raw);
    delete headers[name];
    expect(adapter.verify(request(raw, headers), SECRET)).toEqual({ ok: false, reason: `missing ${name} header` });
  });

  it("refuses a stale or a future timestamp", () => {
    for (const ts of [String(NOW_MS - 301_000), String(NOW_MS + 301_000)]) {
      expect(adapter.verify(request(raw, signed(raw, { ts })), SECRET).ok).toBe(false);
    }
  });

  it("refuses a non-numeric timestamp", () => {
    expect(adapter.verify(request(raw, signed(raw, { ts: "2026-03-02T10:00:00Z" })), SECRET).ok).toBe(false);
  });

  it("verifies the signed sync (challenge) request like any other", () => {
    const sync = fixture("front-sync.json").raw;
    expect(adapter.verify(request(sync, { ...signed(sync), "x-front-challenge": "abc123" }), SECRET).ok).toBe(true);
  });
});

describe("front map", () => {
  const req = request("", {});

  it("answers the x-front-challenge handshake by echoing the challenge", () => {
    const out = adapter.map(fixture("front-sync.json").json, request("", { "x-front-challenge": "c7d0f1e2" }));
    expect(out).toEqual({ kind: "reply", status: 200, body: { challenge: "c7d0f1e2" }, headers: { "content-type": "application/json" } });
  });

  it("ignores a sync body without a challenge header", () => {
    expect(adapter.map(fixture("front-sync.json").json, req).kind).toBe("ignored");
  });

  it("maps a wrapped inbound_received event with the message text as body", () => {
    const t = onlyTicket(adapter.map(fixture("front-inbound-received.json").json, req));
    expect(t).toMatchObject({
      source: "front",
      externalId: "cnv_55c8c149",
      channel: "email",
      subject: "Order #4411 arrived damaged",
      body: "The parcel was crushed and the mug is broken.\nCan you send a new one?",
      status: "open",
      tags: ["shipping"],
      customer: { id: "crd_55c8c149" },
    });
    expect(t.createdAt.toISOString()).toBe("2026-03-02T09:10:00.400Z");
    expect(t.updatedAt.toISOString()).toBe("2026-03-02T09:10:00.512Z");
  });

  it("maps an archive event to closed, resolved at the event time, channel from the last message", () => {
    const t = onlyTicket(adapter.map(fixture("front-archive.json").json, req));
    expect(t).toMatchObject({ status: "closed", channel: "email", assignee: "tea_6r55a", tags: ["shipping", "replacement"] });
    // An archive event carries no customer message: the body is left unset (the stored one is kept).
    expect(t.body).toBeUndefined();
    expect(t.resolvedAt?.toISOString()).toBe("2026-03-02T11:10:00.000Z");
  });

  it("maps a reopen event to open without resolvedAt", () => {
    const p = { ...(fixture("front-archive.json").json as object), type: "reopen" };
    const t = onlyTicket(adapter.map(p, req));
    expect(t.status).toBe("open");
    expect(t.resolvedAt).toBeUndefined();
  });

  it.each([
    ["waiting", "pending"],
    ["resolved", "closed"],
    ["open", "open"],
  ])("prefers the ticketing status_category %s (-> %s) over status", (category, status) => {
    const p = structuredClone(fixture("front-inbound-received.json").json) as any;
    p.payload.conversation.status_category = category;
    expect(onlyTicket(adapter.map(p, req)).status).toBe(status);
  });

  it.each([
    ["email", "email"],
    ["sms", "sms"],
    ["whatsapp", "messaging"],
    ["front_chat", "chat"],
    ["intercom", "chat"],
    ["call", "phone"],
    ["tweet", "social"],
    ["facebook", "social"],
    ["custom", "other"],
    ["carrier_pigeon", "other"],
  ])("maps message type %s to %s", (type, channel) => {
    const p = structuredClone(fixture("front-inbound-received.json").json) as any;
    p.payload.target.data.type = type;
    expect(onlyTicket(adapter.map(p, req)).channel).toBe(channel);
  });

  it("has only canonical channels in its table", () => {
    for (const c of Object.values(FRONT_CHANNELS)) expect(["email", "chat", "phone", "social", "web", "sms", "messaging", "other"]).toContain(c);
  });

  it("ignores comments, deletions and unknown events", () => {
    expect(adapter.map(fixture("front-comment.json").json, req).kind).toBe("ignored");
    expect(adapter.map({ ...(fixture("front-archive.json").json as object), type: "trash" }, req).kind).toBe("ignored");
    expect(adapter.map({ ...(fixture("front-archive.json").json as object), type: "link_added" }, req).kind).toBe("ignored");
  });

  it.each([
    ["payload.conversation", (p: any) => delete p.payload.conversation],
    ["payload.conversation.id", (p: any) => delete p.payload.conversation.id],
    ["payload.conversation.created_at", (p: any) => {
      delete p.payload.conversation.created_at;
      delete p.payload.target;
    }],
    ["payload.conversation.status", (p: any) => (p.payload.conversation.status = "limbo")],
  ])("throws WebhookPayloadError naming %s", (path, mutate) => {
    const p = structuredClone(fixture("front-inbound-received.json").json) as any;
    mutate(p);
    expect(() => adapter.map(p, req)).toThrow(WebhookPayloadError);
    expect(() => adapter.map(p, req)).toThrow(`front webhook: ${path}`);
  });
});
