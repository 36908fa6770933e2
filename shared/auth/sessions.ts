/**
 * Dashboard sessions: a random id in an HttpOnly cookie (signed by @fastify/cookie), stored only as
 * a SHA-256 hash, and a CSRF token the single-page app echoes in `X-CSRF-Token` on every
 * state-changing request. 256 random bits each, so, as for API keys, a slow hash adds nothing.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** The cookie's name; its value is `<id>.<HMAC signature>` (@fastify/cookie's format). */
export const SESSION_COOKIE = "uc_session";
/** The header that carries the CSRF token on state-changing requests authenticated by the cookie. */
export const CSRF_HEADER = "x-csrf-token";

const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function generateSessionId(): { id: string; hash: string } {
  const id = randomBytes(32).toString("base64url");
  return { id, hash: hashSessionId(id) };
}

export function hashSessionId(id: string): string {
  return createHash("sha256").update(id).digest("hex");
}

export function looksLikeSessionId(s: string): boolean {
  return SESSION_ID_PATTERN.test(s);
}

export function generateCsrfToken(): string {
  return randomBytes(32).toString("base64url");
}

/** A random secret for signing cookies when SESSION_SECRET is not set. */
export function generateSessionSecret(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * Compares a presented token with the expected one in time independent of where they differ.
 * Both are hashed first so that unequal lengths (timingSafeEqual throws on those) take the same path.
 */
export function tokensEqual(presented: string, expected: string): boolean {
  const a = createHash("sha256").update(presented).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
