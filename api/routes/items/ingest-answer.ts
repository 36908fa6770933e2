/**
 * The answer every ingest route gives (items and customers): 202 with what was stored and the
 * per-item errors, or 400 when nothing was stored; and the parsing of a body into valid items and
 * per-item errors, with a bad body shape as a 400.
 */
import { z } from "zod";
import { BodyShapeError, parseItems, type ItemError, type ParsedItems } from "../../../shared/domain/ingest/parse-items";
import type { WriteOutcome, WriteStatus } from "../../../shared/db/versioned-writes";
import type { FieldIssue } from "../../../shared/errors";
import { ValidationError } from "../../../shared/errors";

const issueSchema = z.object({ path: z.string(), message: z.string() });
const itemErrorSchema = z.object({ index: z.number().int(), issues: z.array(issueSchema) });
export const acceptedSchema = z.object({
  accepted: z.number().int().describe("items stored (created, updated or already known)"),
  rejected: z.number().int(),
  items: z.array(
    z.object({
      index: z.number().int(),
      id: z.string(),
      status: z.enum(["created", "updated", "unchanged"]).describe("unchanged: a duplicate or an older version"),
    }),
  ),
  errors: z.array(itemErrorSchema),
});
export const ingestErrorSchema = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(issueSchema).optional(),
  errors: z.array(itemErrorSchema).optional(),
});

/** `parseItems`, with a body of the wrong shape turned into a 400. */
export function parseBody<S extends z.ZodType>(
  body: unknown,
  schema: S,
  check: (item: z.output<S>, prefix: (string | number)[]) => FieldIssue[],
): ParsedItems<z.output<S>> {
  try {
    return parseItems(body, schema, check);
  } catch (err) {
    if (err instanceof BodyShapeError) throw new ValidationError(err.message, [{ path: "(body)", message: err.message }]);
    throw err;
  }
}

type Answer = { code: 202; body: z.infer<typeof acceptedSchema> } | { code: 400; body: z.infer<typeof ingestErrorSchema> };

function refusal(batch: boolean, errors: ItemError[]): Answer {
  const issues = errors.flatMap((e) => e.issues);
  return {
    code: 400,
    body: { error: "validation_failed", message: issues.map((i) => `${i.path}: ${i.message}`).join("; "), ...(batch ? { errors } : { issues }) },
  };
}

/** 400 when no item is valid (nothing to store). */
export function answerIfNothingValid(parsed: ParsedItems<unknown>): Answer | null {
  return parsed.valid.length === 0 ? refusal(parsed.batch, parsed.errors) : null;
}

/** The answer once the valid items were written (`results` in the order of `parsed.valid`). */
export function answerOfWrites(parsed: ParsedItems<unknown>, results: readonly ({ id: string } & WriteOutcome)[]): Answer {
  const stored: { index: number; id: string; status: WriteStatus }[] = [];
  const errors = [...parsed.errors];
  results.forEach((r, i) => {
    const index = parsed.valid[i]!.index;
    if ("status" in r) stored.push({ index, id: r.id, status: r.status });
    else errors.push({ index, issues: [{ path: parsed.batch ? `items.${index}` : "(body)", message: r.error }] });
  });
  errors.sort((a, b) => a.index - b.index);
  if (stored.length === 0) return refusal(parsed.batch, errors);
  return { code: 202, body: { accepted: stored.length, rejected: errors.length, items: stored, errors } };
}
