/**
 * Shared helpers for signature and token checks. Every comparison goes through `safeEqual`:
 * lengths first (timingSafeEqual throws on unequal lengths, and a length is not a secret), then
 * `crypto.timingSafeEqual`.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { VerifyResult, WebhookRequest } from "./types";

/** Five minutes, the replay window every timestamped scheme here uses. */
export const TOLERANCE_MS = 5 * 60 * 1000;

export const OK: VerifyResult = { ok: true };
export type VerifyFailure = Extract<VerifyResult, { ok: false }>;
export const fail = (reason: string): VerifyFailure => ({ ok: false, reason });

/** The first value of a header (names are lower case), trimmed; `undefined` when absent or empty. */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** Constant-time equality of two strings (compared as UTF-8 bytes). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  if (x.length !== y.length) return false;
  return timingSafeEqual(x, y);
}

/** HMAC of the concatenated parts (strings are UTF-8), in the requested encoding. */
export function hmac(
  algorithm: "sha1" | "sha256",
  secret: string,
  parts: (string | Buffer)[],
  encoding: "hex" | "base64",
): string {
  const mac = createHmac(algorithm, secret);
  for (const part of parts) mac.update(part);
  return mac.digest(encoding);
}

/** A verification precondition shared by every adapter: an empty secret never verifies anything. */
export function missingSecret(secret: string): VerifyFailure | undefined {
  return secret.length === 0 ? fail("no webhook secret is configured for this provider") : undefined;
}

/** `undefined` when `timestampMs` is within the tolerance of `nowMs` (either side), else a failure. */
export function checkFreshness(timestampMs: number, nowMs: number, toleranceMs = TOLERANCE_MS): VerifyFailure | undefined {
  if (!Number.isFinite(timestampMs)) return fail("signature timestamp is not a valid time");
  if (Math.abs(nowMs - timestampMs) > toleranceMs) {
    return fail(`signature timestamp is more than ${toleranceMs / 60_000} minutes away from the server time`);
  }
  return undefined;
}

/**
 * The two headers of a timestamped HMAC scheme (Zendesk, Front), after the shared preconditions:
 * a secret is configured and both headers are present. A failure names what is missing.
 */
export function timestampedSignature(
  req: WebhookRequest,
  secret: string,
  signatureHeader: string,
  timestampHeader: string,
): { ok: true; signature: string; timestamp: string } | VerifyFailure {
  const noSecret = missingSecret(secret);
  if (noSecret) return noSecret;
  const signature = headerValue(req.headers, signatureHeader);
  const timestamp = headerValue(req.headers, timestampHeader);
  if (!signature) return fail(`missing ${signatureHeader} header`);
  if (!timestamp) return fail(`missing ${timestampHeader} header`);
  return { ok: true, signature, timestamp };
}
