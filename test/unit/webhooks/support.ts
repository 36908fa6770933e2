/** Shared helpers for the webhook adapter tests (not a test file itself). */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { ticketInputSchema, type TicketInput } from "../../../shared/domain/models";
import type { WebhookOutcome, WebhookRequest } from "../../../shared/domain/webhooks";

/** 2026-03-02T10:00:00Z, the "now" of every test (fixtures are dated around it). */
export const NOW_MS = Date.parse("2026-03-02T10:00:00Z");
export const NOW_SEC = NOW_MS / 1000;

export function fixture(name: string): { raw: Buffer; json: unknown } {
  const raw = readFileSync(new URL(`../../fixtures/webhooks/${name}`, import.meta.url));
  return { raw, json: JSON.parse(raw.toString("utf8")) };
}

export function request(rawBody: Buffer | string, headers: WebhookRequest["headers"], nowMs = NOW_MS): WebhookRequest {
  return { headers, rawBody: Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody), nowMs };
}

/** A copy of `buf` with the byte at `index` changed. */
export function flipByte(buf: Buffer, index = Math.floor(buf.length / 2)): Buffer {
  const copy = Buffer.from(buf);
  copy[index] = (copy[index]! ^ 0x01) & 0xff;
  return copy;
}

/** A copy of `s` with one character changed (the last by default). */
export function flipChar(s: string, index = s.length - 1): string {
  const c = s[index]!;
  const replacement = c === "0" ? "1" : c === "1" ? "2" : "0";
  return s.slice(0, index) + replacement + s.slice(index + 1);
}

export function mac(alg: "sha1" | "sha256", secret: string, data: (string | Buffer)[], enc: "hex" | "base64"): string {
  const h = createHmac(alg, secret);
  for (const d of data) h.update(d);
  return h.digest(enc);
}

/** Asserts the outcome is tickets and parses each with the canonical schema (throwing on issues). */
export function parsedTickets(outcome: WebhookOutcome): TicketInput[] {
  expect(outcome.kind).toBe("tickets");
  if (outcome.kind !== "tickets") return [];
  return outcome.tickets.map((t) => {
    const r = ticketInputSchema.safeParse(t);
    if (!r.success) throw new Error(`ticket does not parse: ${JSON.stringify(r.error.issues)}`);
    return r.data;
  });
}

export function onlyTicket(outcome: WebhookOutcome): TicketInput {
  const tickets = parsedTickets(outcome);
  expect(tickets).toHaveLength(1);
  return tickets[0]!;
}
