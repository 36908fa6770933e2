import { describe, expect, it } from "vitest";
import { AppError } from "../../../shared/errors";
import { WEBHOOK_ADAPTERS, WEBHOOK_PROVIDERS, WebhookPayloadError, isWebhookProvider } from "../../../shared/domain/webhooks";
import { htmlToText, instant } from "../../../shared/domain/webhooks/payload";
import { safeEqual } from "../../../shared/domain/webhooks/signature";
import { request } from "./support";

describe("webhook registry", () => {
  it("has one adapter per provider, keyed by its own name", () => {
    expect(Object.keys(WEBHOOK_ADAPTERS).sort()).toEqual([...WEBHOOK_PROVIDERS].sort());
    for (const p of WEBHOOK_PROVIDERS) expect(WEBHOOK_ADAPTERS[p].provider).toBe(p);
    expect(isWebhookProvider("front")).toBe(true);
    expect(isWebhookProvider("toString")).toBe(false);
  });

  it.each(WEBHOOK_PROVIDERS.map((p) => [p]))("%s refuses an unsigned request and an empty secret", (p) => {
    const req = request('{"a":1}', {});
    expect(WEBHOOK_ADAPTERS[p].verify(req, "some-secret").ok).toBe(false);
    expect(WEBHOOK_ADAPTERS[p].verify(req, "").ok).toBe(false);
  });

  it("WebhookPayloadError is a 400 AppError with a stable code", () => {
    const e = new WebhookPayloadError("zendesk", "is missing", "detail.id");
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ statusCode: 400, code: "webhook_payload_invalid", retryable: false, provider: "zendesk", path: "detail.id" });
    expect(e.message).toBe("zendesk webhook: detail.id: is missing");
    expect(e.name).toBe("WebhookPayloadError");
  });
});

describe("shared helpers", () => {
  it("safeEqual compares lengths before bytes", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("abc", "abcd")).toBe(false);
    expect(safeEqual("é", "e")).toBe(false);
  });

  it.each([
    [1772445600, "2026-03-02T10:00:00.000Z"],
    [1772445600.5, "2026-03-02T10:00:00.500Z"],
    [1772445600123, "2026-03-02T10:00:00.123Z"],
    ["1772445600", "2026-03-02T10:00:00.000Z"],
    ["2026-03-02T11:00:00+01:00", "2026-03-02T10:00:00.000Z"],
    ["2026-03-02T10:00:00.123456789Z", "2026-03-02T10:00:00.123Z"],
    ["2026-03-02T10:00:00", undefined],
    ["2026-03-02", undefined],
    ["soon", undefined],
    [null, undefined],
    [0, undefined],
  ])("instant(%s) is %s", (input, expected) => {
    expect(instant(input)).toBe(expected);
  });

  it("htmlToText keeps paragraphs and decodes entities", () => {
    expect(htmlToText("<p>Hi&nbsp;there,</p><p>5 &lt; 6 &amp; caf&#233;</p><script>x()</script>")).toBe("Hi there,\n5 < 6 & café");
  });
});
