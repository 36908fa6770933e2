/**
 * The contract every webhook adapter implements. Adapters are pure: they read the request the
 * route hands them (lower-case header names, the raw body bytes, the current time in ms) and never
 * touch I/O, the environment or the clock.
 */
import { AppError } from "../../errors";

export const WEBHOOK_PROVIDERS = ["zendesk", "freshdesk", "intercom", "helpscout", "front", "generic"] as const;
export type WebhookProvider = (typeof WEBHOOK_PROVIDERS)[number];

export interface WebhookRequest {
  /** header names in lower case, as Node's `IncomingMessage.headers` gives them */
  headers: Record<string, string | string[] | undefined>;
  /** the body exactly as received: signatures are computed over these bytes */
  rawBody: Buffer;
  /** the current time, epoch milliseconds (passed in so the adapters stay pure) */
  nowMs: number;
}

/** `reason` is safe to return to the caller: it never includes the secret or an expected signature. */
export type VerifyResult = { ok: true } | { ok: false; reason: string };

export type WebhookOutcome =
  /** candidate canonical ticket inputs; the caller parses each with `ticketInputSchema` */
  | { kind: "tickets"; tickets: unknown[] }
  /** an event we do not use: acknowledge with 200 so the provider does not retry */
  | { kind: "ignored"; reason: string }
  /** a handshake (Intercom ping, Front challenge) the route answers as given */
  | { kind: "reply"; status: number; body: unknown; headers?: Record<string, string> };

export interface WebhookAdapter {
  provider: WebhookProvider;
  /** Checks the signature or token on the raw bytes, in constant time. Call before parsing. */
  verify(req: WebhookRequest, secret: string): VerifyResult;
  /**
   * Maps the parsed JSON body. Throws `WebhookPayloadError` (400) when the payload is an event we
   * handle but cannot map (no id, no creation time, wrong types).
   */
  map(payload: unknown, req: WebhookRequest): WebhookOutcome;
}

/** A payload of a handled event type that cannot be mapped; the route answers 400 with `message`. */
export class WebhookPayloadError extends AppError {
  constructor(
    readonly provider: WebhookProvider,
    message: string,
    /** dotted path of the offending field in the provider's payload, when there is one */
    readonly path?: string,
  ) {
    super("webhook_payload_invalid", 400, `${provider} webhook: ${path ? `${path}: ` : ""}${message}`, false, {
      provider,
      path,
    });
  }
}

/** Canonical channels (kept as a literal union so mapping tables are checked by the compiler). */
export type Channel = "email" | "chat" | "phone" | "social" | "web" | "sms" | "messaging" | "other";
export type Status = "new" | "open" | "pending" | "solved" | "closed";
