/**
 * Small readers for untrusted provider JSON. They never throw on a missing optional field; the
 * `require*` variants throw `WebhookPayloadError` naming the provider and the field path.
 */
import { WebhookPayloadError, type WebhookProvider } from "./types";

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `v[key]` when `v` is an object, else undefined. */
export function field(v: unknown, ...path: string[]): unknown {
  let cur: unknown = v;
  for (const key of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

export function obj(v: unknown): Json | undefined {
  return isObject(v) ? v : undefined;
}

/** A non-empty trimmed string; numbers are stringified (providers send ids as either). */
export function str(v: unknown): string | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v !== "string") return undefined;
  const t = v.trim();
  return t ? t : undefined;
}

/** A finite number, or a numeric string. */
export function num(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

/** A non-negative integer counter, or undefined. */
export function count(v: unknown): number | undefined {
  const n = num(v);
  return n !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * An instant as a normalized ISO string (`toISOString`, millisecond precision). Accepts ISO 8601
 * with `Z` or an offset, and epoch numbers: values above 1e11 are read as milliseconds, others as
 * seconds (1e11 s is the year 5138, 1e11 ms is 1973). A string without a zone is refused: its
 * meaning depends on an account timezone we do not know.
 */
export function instant(v: unknown): string | undefined {
  if (typeof v === "number" || (typeof v === "string" && /^\d+(\.\d+)?$/.test(v.trim()))) {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) return undefined;
    const ms = n > 1e11 ? n : n * 1000;
    const d = new Date(Math.round(ms));
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  if (typeof v !== "string" || !ISO_WITH_ZONE.test(v.trim())) return undefined;
  const d = new Date(v.trim());
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function requireId(provider: WebhookProvider, v: unknown, path: string): string {
  const id = str(v);
  if (!id) throw new WebhookPayloadError(provider, "is missing (the ticket id is required)", path);
  if (id.length > 200) throw new WebhookPayloadError(provider, "is longer than 200 characters", path);
  return id;
}

export function requireInstant(provider: WebhookProvider, v: unknown, path: string): string {
  const t = instant(v);
  if (!t) {
    throw new WebhookPayloadError(
      provider,
      v === undefined || v === null ? "is missing" : "is not an ISO 8601 date-time with a timezone or an epoch number",
      path,
    );
  }
  return t;
}

export function requireObject(provider: WebhookProvider, v: unknown, path: string): Json {
  if (!isObject(v)) throw new WebhookPayloadError(provider, "must be a JSON object", path);
  return v;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/**
 * Plain text from the HTML fragments providers send as message bodies: block ends become newlines,
 * tags are dropped, the common entities decoded, whitespace collapsed. Good enough for keyword and
 * sentiment analysis; not a sanitizer.
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, " ")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|li|h[1-6]|tr|blockquote)>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === "#") {
        const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t\f\v\u00a0]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Clip to the canonical schema's maximum lengths so a long mail does not fail the whole ticket. */
export function clip(s: string | undefined, max: number): string | undefined {
  if (s === undefined) return undefined;
  return s.length > max ? s.slice(0, max) : s;
}

/** Distinct non-empty tags, each clipped to 100 chars, at most 100 (the schema's limits). */
export function tagList(values: unknown[]): string[] {
  const out = new Set<string>();
  for (const v of values) {
    const s = str(v);
    if (s) out.add(s.slice(0, 100));
    if (out.size === 100) break;
  }
  return [...out];
}

/** Drops `undefined` values so the strict canonical schema sees only the fields we know. */
export function compact<T extends Json>(o: T): T {
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    out[k] = isObject(v) && k !== "attributes" ? compact(v) : v;
  }
  return out as T;
}

/** Customer attributes without the unknown ones. */
export function attributes(a: Record<string, string | number | boolean | undefined>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(a)) if (v !== undefined) out[k] = typeof v === "string" ? v.slice(0, 500) : v;
  return out;
}
