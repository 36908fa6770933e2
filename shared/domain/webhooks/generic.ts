/**
 * The generic webhook, for anyone writing their own integration (documented in README.md).
 * Signature: `x-undercurrent-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`;
 *            several `v1=` entries may be sent while a secret is rotated (one must match).
 * Payload:   `{ "tickets": [ canonical ticket inputs ] }` or one canonical ticket input.
 */
import { isObject, requireObject } from "./payload";
import { OK, checkFreshness, fail, headerValue, hmac, missingSecret, safeEqual } from "./signature";
import { WebhookPayloadError, type WebhookAdapter, type WebhookOutcome } from "./types";

const SIGNATURE = "x-undercurrent-signature";
/** The same ceiling as `POST /v1/tickets` batches. */
export const GENERIC_MAX_TICKETS = 1_000;

/**
 * The `x-undercurrent-signature` value for `body` sent at `unixSec`, for clients and tests:
 * `t=<unixSec>,v1=<hex HMAC-SHA256(secret, "<unixSec>." + body)>`.
 */
export function signGeneric(secret: string, body: Buffer | string, unixSec: number): string {
  const t = Math.floor(unixSec);
  return `t=${t},v1=${hmac("sha256", secret, [`${t}.`, body], "hex")}`;
}

export const generic: WebhookAdapter = {
  provider: "generic",

  verify(req, secret) {
    const noSecret = missingSecret(secret);
    if (noSecret) return noSecret;
    const header = headerValue(req.headers, SIGNATURE);
    if (!header) return fail(`missing ${SIGNATURE} header`);
    let t: string | undefined;
    const candidates: string[] = [];
    for (const part of header.split(",")) {
      const eq = part.indexOf("=");
      if (eq < 0) continue;
      const key = part.slice(0, eq).trim();
      const value = part.slice(eq + 1).trim();
      if (key === "t") t = value;
      else if (key === "v1" && value) candidates.push(value.toLowerCase());
    }
    if (!t || !/^\d+$/.test(t)) return fail(`${SIGNATURE} must contain t=<unix seconds>`);
    if (candidates.length === 0) return fail(`${SIGNATURE} must contain at least one v1=<hex signature>`);
    const stale = checkFreshness(Number(t) * 1000, req.nowMs);
    if (stale) return stale;
    const expected = hmac("sha256", secret, [`${t}.`, req.rawBody], "hex");
    let matched = false;
    for (const candidate of candidates) matched = safeEqual(candidate, expected) || matched;
    return matched ? OK : fail("signature does not match");
  },

  map(payload): WebhookOutcome {
    const root = requireObject("generic", payload, "(body)");
    const items = Object.prototype.hasOwnProperty.call(root, "tickets") ? root.tickets : [root];
    if (!Array.isArray(items)) throw new WebhookPayloadError("generic", "must be an array of tickets", "tickets");
    if (items.length === 0) throw new WebhookPayloadError("generic", "must contain at least one ticket", "tickets");
    if (items.length > GENERIC_MAX_TICKETS) {
      throw new WebhookPayloadError("generic", `must contain at most ${GENERIC_MAX_TICKETS} tickets`, "tickets");
    }
    const path = (i: number) => (root.tickets === items ? `tickets.${i}.source` : "source");
    const tickets = items.map((item, i) => {
      // Non-objects pass through so the caller's schema reports them per item.
      if (!isObject(item)) return item;
      // The natural key includes `source`: a generic sender must not write into a provider's tickets.
      if (item.source !== undefined && item.source !== "api") {
        throw new WebhookPayloadError("generic", 'must be "api" or absent on the generic webhook', path(i));
      }
      return { ...item, source: "api" };
    });
    return { kind: "tickets", tickets };
  },
};
