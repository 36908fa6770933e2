import { describe, expect, it } from "vitest";
import { WEBHOOK_ADAPTERS, WebhookPayloadError, signGeneric } from "../../../shared/domain/webhooks";
import { NOW_SEC, fixture, flipByte, flipChar, mac, parsedTickets, request } from "./support";

const adapter = WEBHOOK_ADAPTERS.generic;
const SECRET = "whsec_generic_test_secret";
const T = NOW_SEC - 10;
const header = (value: string) => ({ "x-undercurrent-signature": value });

describe("signGeneric", () => {
  it("builds t=<unix>,v1=<hex HMAC-SHA256 of 't.body'>", () => {
    const body = '{"tickets":[]}';
    expect(signGeneric(SECRET, body, 1772445590)).toBe(`t=1772445590,v1=${mac("sha256", SECRET, ["1772445590.", body], "hex")}`);
    expect(signGeneric(SECRET, Buffer.from(body), 1772445590.9)).toBe(signGeneric(SECRET, body, 1772445590));
  });
});

describe("generic verify", () => {
  const { raw } = fixture("generic-batch.json");

  it("accepts its own signature", () => {
    expect(adapter.verify(request(raw, header(signGeneric(SECRET, raw, T))), SECRET)).toEqual({ ok: true });
  });

  it("accepts when any of several v1 signatures matches (secret rotation)", () => {
    const old = signGeneric("old-secret", raw, T).split(",")[1]!;
    const current = signGeneric(SECRET, raw, T);
    expect(adapter.verify(request(raw, header(`${current},${old}`)), SECRET).ok).toBe(true);
    expect(adapter.verify(request(raw, header(`t=${T},${old},${current.split(",")[1]}`)), SECRET).ok).toBe(true);
  });

  it("refuses when one byte of the body changes", () => {
    expect(adapter.verify(request(flipByte(raw), header(signGeneric(SECRET, raw, T))), SECRET)).toEqual({
      ok: false,
      reason: "signature does not match",
    });
  });

  it("refuses when t changes (signature kept)", () => {
    const v1 = signGeneric(SECRET, raw, T).split(",")[1];
    expect(adapter.verify(request(raw, header(`t=${T + 1},${v1}`)), SECRET).ok).toBe(false);
  });

  it("refuses when the secret differs", () => {
    expect(adapter.verify(request(raw, header(signGeneric(flipChar(SECRET), raw, T))), SECRET).ok).toBe(false);
  });

  it.each([
    ["missing header", {}],
    ["no t", header(`v1=${"a".repeat(64)}`)],
    ["no v1", header(`t=${T}`)],
    ["t not a number", header(`t=soon,v1=${"a".repeat(64)}`)],
    ["v0 only", header(`t=${T},v0=${"a".repeat(64)}`)],
  ])("refuses %s", (_label, headers) => {
    expect(adapter.verify(request(raw, headers), SECRET).ok).toBe(false);
  });

  it("refuses a timestamp more than 5 minutes off", () => {
    expect(adapter.verify(request(raw, header(signGeneric(SECRET, raw, NOW_SEC - 301))), SECRET).ok).toBe(false);
    expect(adapter.verify(request(raw, header(signGeneric(SECRET, raw, NOW_SEC + 301))), SECRET).ok).toBe(false);
    expect(adapter.verify(request(raw, header(signGeneric(SECRET, raw, NOW_SEC - 299))), SECRET).ok).toBe(true);
  });
});

describe("generic map", () => {
  const req = request("", {});

  it("maps { tickets: [...] } into api tickets that parse", () => {
    const tickets = parsedTickets(adapter.map(fixture("generic-batch.json").json, req));
    expect(tickets.map((t) => [t.source, t.externalId, t.status])).toEqual([
      ["api", "INC-1001", "solved"],
      ["api", "INC-1002", "open"],
    ]);
  });

  it("maps a single canonical ticket", () => {
    expect(parsedTickets(adapter.map(fixture("generic-single.json").json, req))[0]).toMatchObject({
      source: "api",
      externalId: "INC-1003",
    });
  });

  it("accepts source: api and refuses any other source", () => {
    const ok = { ...(fixture("generic-single.json").json as object), source: "api" };
    expect(parsedTickets(adapter.map(ok, req))[0]?.source).toBe("api");
    const batch = structuredClone(fixture("generic-batch.json").json) as any;
    batch.tickets[1].source = "zendesk";
    expect(() => adapter.map(batch, req)).toThrow(WebhookPayloadError);
    expect(() => adapter.map(batch, req)).toThrow("tickets.1.source");
  });

  it("passes invalid items through for the caller's per-item errors", () => {
    const out = adapter.map({ tickets: [{ externalId: "x" }, 42] }, req);
    expect(out).toEqual({ kind: "tickets", tickets: [{ externalId: "x", source: "api" }, 42] });
  });

  it.each([
    ["tickets not an array", { tickets: {} }],
    ["empty tickets", { tickets: [] }],
    ["too many tickets", { tickets: Array.from({ length: 1001 }, (_, i) => ({ externalId: String(i) })) }],
    ["a body that is an array", [{ externalId: "x" }]],
  ])("throws WebhookPayloadError on %s", (_label, body) => {
    expect(() => adapter.map(body, req)).toThrow(WebhookPayloadError);
  });
});
