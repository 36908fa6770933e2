/**
 * Splits an ingestion body into valid canonical items and per-item errors, so one bad item never
 * sinks its batch. Pure.
 */
import type { z } from "zod";
import type { FieldIssue } from "../../errors";

export const MAX_BATCH_ITEMS = 1_000;

export interface ItemError {
  index: number;
  issues: FieldIssue[];
}

export interface ParsedItems<T> {
  /** true when the body was `{ "items": [...] }` */
  batch: boolean;
  valid: { index: number; item: T }[];
  errors: ItemError[];
}

export class BodyShapeError extends Error {}

/**
 * A body is one item, or `{ "items": [ ... ] }` with 1..MAX_BATCH_ITEMS items. `check` adds the
 * rules a schema cannot hold (those that need the clock), for items the schema accepted.
 */
export function parseItems<S extends z.ZodType>(
  body: unknown,
  schema: S,
  check: (item: z.output<S>, prefix: (string | number)[]) => FieldIssue[] = () => [],
): ParsedItems<z.output<S>> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new BodyShapeError('the body must be a JSON object: one item, or { "items": [ ... ] }');
  }
  const batch = Object.prototype.hasOwnProperty.call(body, "items");
  let raw: unknown[];
  if (batch) {
    const items = (body as { items: unknown }).items;
    if (!Array.isArray(items)) throw new BodyShapeError("items: must be an array");
    if (items.length === 0) throw new BodyShapeError("items: must hold at least one item");
    if (items.length > MAX_BATCH_ITEMS) {
      throw new BodyShapeError(`items: holds ${items.length} items; the most one request takes is ${MAX_BATCH_ITEMS}`);
    }
    if (Object.keys(body).length > 1) throw new BodyShapeError('a batch body holds only "items"');
    raw = items;
  } else {
    raw = [body];
  }
  const out: ParsedItems<z.output<S>> = { batch, valid: [], errors: [] };
  raw.forEach((candidate, index) => {
    const prefix = batch ? ["items", index] : [];
    const r = schema.safeParse(candidate);
    if (!r.success) return void out.errors.push({ index, issues: issuesOf(r.error, prefix) });
    const issues = check(r.data, prefix);
    if (issues.length) out.errors.push({ index, issues });
    else out.valid.push({ index, item: r.data });
  });
  return out;
}

/** zod issues as `path: message` pairs; the path names the field the caller sent. */
export function issuesOf(error: z.ZodError, prefix: (string | number)[] = []): FieldIssue[] {
  return error.issues.map((i) => {
    const path = [...prefix, ...i.path].map(String).join(".") || "(body)";
    return { path, message: messageOf(i) };
  });
}

function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  if (issue.code === "invalid_type" && issue.message.includes("received undefined")) return "is required";
  return issue.message;
}
