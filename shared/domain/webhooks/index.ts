/**
 * Webhook adapters: verify a provider's signature on the raw bytes, then map its payload into
 * candidate canonical tickets. Pure (no I/O, env or clock). See README.md for each scheme and the
 * mapping tables.
 */
import { freshdesk } from "./freshdesk";
import { front } from "./front";
import { generic } from "./generic";
import { helpscout } from "./helpscout";
import { intercom } from "./intercom";
import type { WebhookAdapter, WebhookProvider } from "./types";
import { zendesk } from "./zendesk";

export const WEBHOOK_ADAPTERS: Readonly<Record<WebhookProvider, WebhookAdapter>> = {
  zendesk,
  freshdesk,
  intercom,
  helpscout,
  front,
  generic,
};

export function isWebhookProvider(v: string): v is WebhookProvider {
  return Object.prototype.hasOwnProperty.call(WEBHOOK_ADAPTERS, v);
}

export { signGeneric, GENERIC_MAX_TICKETS } from "./generic";
export { WEBHOOK_PROVIDERS, WebhookPayloadError } from "./types";
export type { VerifyResult, WebhookAdapter, WebhookOutcome, WebhookProvider, WebhookRequest } from "./types";
export { ZENDESK_CHANNELS, ZENDESK_STATUSES } from "./zendesk";
export { FRESHDESK_SOURCES, FRESHDESK_STATUSES, FRESHDESK_PRIORITIES } from "./freshdesk";
export { INTERCOM_CHANNELS, INTERCOM_STATES } from "./intercom";
export { HELPSCOUT_EVENTS, HELPSCOUT_TYPES, HELPSCOUT_EMAIL_SOURCES, HELPSCOUT_STATUSES, helpscoutChannel } from "./helpscout";
export { FRONT_EVENTS, FRONT_CHANNELS, FRONT_STATUSES } from "./front";
