import { describe, expect, it } from "vitest";
import { FRESHDESK_SOURCES, WEBHOOK_ADAPTERS, WebhookPayloadError } from "../../../shared/domain/webhooks";
import { fixture, flipChar, onlyTicket, request } from "./support";

const adapter = WEBHOOK_ADAPTERS.freshdesk;
const TOKEN = "fd_tok_9f8e7d6c5b4a39281706";
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;

describe("freshdesk verify", () => {
  const { raw } = fixture("freshdesk-ticket-created.json");

  it.each([
    ["x-undercurrent-token", { "x-undercurrent-token": TOKEN }],
    ["Bearer", { authorization: `Bearer ${TOKEN}` }],
    ["Basic (token as username)", { authorization: basic(TOKEN, "X") }],
    ["Basic (token as password)", { authorization: basic("freshdesk", TOKEN) }],
  ])("accepts the token via %s", (_label, headers) => {
    expect(adapter.verify(request(raw, headers), TOKEN)).toEqual({ ok: true });
  });

  it.each([
    ["a wrong token header", { "x-undercurrent-token": flipChar(TOKEN) }],
    ["a token one character short", { "x-undercurrent-token": TOKEN.slice(0, -1) }],
    ["a wrong bearer", { authorization: `Bearer ${flipChar(TOKEN, 0)}` }],
    ["wrong basic credentials", { authorization: basic("user", "pass") }],
  ])("refuses %s", (_label, headers) => {
    expect(adapter.verify(request(raw, headers), TOKEN)).toEqual({ ok: false, reason: "token does not match" });
  });

  it.each([
    ["no credentials", {}],
    ["an unknown Authorization scheme", { authorization: `Token ${TOKEN}` }],
  ])("refuses %s as missing credentials, naming the accepted ways", (_label, headers) => {
    const r = adapter.verify(request(raw, headers), TOKEN);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^missing credentials: .*x-undercurrent-token/);
  });

  it("never echoes the token", () => {
    const r = adapter.verify(request(raw, { authorization: `Bearer ${flipChar(TOKEN)}` }), TOKEN);
    expect(JSON.stringify(r)).not.toContain(TOKEN);
  });

  it("refuses everything when no token is configured", () => {
    expect(adapter.verify(request(raw, { "x-undercurrent-token": "" }), "").ok).toBe(false);
  });
});

describe("freshdesk map", () => {
  const req = request("", {});

  it("maps the documented template with numeric codes", () => {
    const t = onlyTicket(adapter.map(fixture("freshdesk-ticket-created.json").json, req));
    expect(t).toMatchObject({
      source: "freshdesk",
      externalId: "4312",
      channel: "web",
      subject: "Cannot export report to PDF",
      body: "When I click Export > PDF nothing happens.\nChrome 131 on macOS.",
      status: "open",
      priority: "high",
      tags: ["export", "pdf"],
      team: "Tier 2",
      customer: { id: "contact-88231", segment: "enterprise", plan: "pro", region: "EU", attributes: { company: "Globex" } },
    });
    expect(t.assignee).toBeUndefined();
  });

  it("maps the legacy freshdesk_webhook shape with names and optional counters", () => {
    const t = onlyTicket(adapter.map(fixture("freshdesk-legacy-resolved.json").json, req));
    expect(t).toMatchObject({
      externalId: "4313",
      channel: "email",
      status: "solved",
      priority: "low",
      team: "Billing",
      assignee: "agent@acme.example",
      customer: { id: "buyer@example.com" },
      agentReplies: 2,
      customerMessages: 1,
    });
    // The payload carries no reopen count: left unset so the store keeps what it knows.
    expect(t.reopens).toBeUndefined();
    expect(t.createdAt.toISOString()).toBe("2026-03-01T14:00:00.000Z");
    expect(t.firstResponseAt?.toISOString()).toBe("2026-03-01T14:20:00.000Z");
    expect(t.resolvedAt?.toISOString()).toBe("2026-03-02T08:00:00.000Z");
  });

  it.each([
    ["1", "email"],
    ["2", "web"],
    ["3", "phone"],
    ["7", "chat"],
    ["9", "web"],
    ["10", "email"],
    ["5", "social"],
    ["Portal", "web"],
    ["Feedback Widget", "web"],
    ["Chat", "chat"],
    ["99", "other"],
  ])("maps source %s to %s", (source, channel) => {
    const p = structuredClone(fixture("freshdesk-ticket-created.json").json) as any;
    p.ticket.source = source;
    expect(onlyTicket(adapter.map(p, req)).channel).toBe(channel);
    if (FRESHDESK_SOURCES[source.toLowerCase()]) expect(FRESHDESK_SOURCES[source.toLowerCase()]).toBe(channel);
  });

  it.each([
    ["2", "open"],
    ["3", "pending"],
    ["4", "solved"],
    ["5", "closed"],
    ["Waiting on Customer", "pending"],
    ["7", "pending"],
  ])("maps status %s to %s", (status, canonical) => {
    const p = structuredClone(fixture("freshdesk-ticket-created.json").json) as any;
    p.ticket.status = status;
    expect(onlyTicket(adapter.map(p, req)).status).toBe(canonical);
  });

  it("falls back to updated_at for resolvedAt when resolved without a resolution time", () => {
    const p = structuredClone(fixture("freshdesk-ticket-created.json").json) as any;
    p.ticket.status = "4";
    p.ticket.updated_at = "2026-03-02T09:45:00Z";
    expect(onlyTicket(adapter.map(p, req)).resolvedAt?.toISOString()).toBe("2026-03-02T09:45:00.000Z");
  });

  it.each([
    ["ticket.id", (p: any) => (p.ticket.id = "")],
    ["ticket.id", (p: any) => (p.ticket.id = "{{ticket.id}}".repeat(20))],
    ["ticket.status", (p: any) => delete p.ticket.status],
    ["ticket.created_at", (p: any) => (p.ticket.created_at = "Mon, 2 Mar, 2026 at 9:30 AM")],
  ])("throws WebhookPayloadError naming %s", (path, mutate) => {
    const p = structuredClone(fixture("freshdesk-ticket-created.json").json) as any;
    mutate(p);
    expect(() => adapter.map(p, req)).toThrow(WebhookPayloadError);
    expect(() => adapter.map(p, req)).toThrow(`freshdesk webhook: ${path}`);
  });

  it("names the legacy field path in errors", () => {
    const p = structuredClone(fixture("freshdesk-legacy-resolved.json").json) as any;
    delete p.freshdesk_webhook.ticket_id;
    expect(() => adapter.map(p, req)).toThrow("freshdesk_webhook.ticket_id");
  });
});
