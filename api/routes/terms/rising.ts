/**
 * Rising terms for a range against the previous range of the same length, workspace-wide or
 * within a saved search's matches. Reads the enriched items of both periods — workspace-wide a
 * sample of at most TERMS_SAMPLE_PER_PERIOD spread over each period in proportion to its items,
 * within a search newest first up to TERMS_MAX_ITEMS_PER_PERIOD — collapses near duplicates and
 * scores terms with JLH.
 */
import { z } from "zod";
import type { Collections } from "../../../shared/db/collections";
import { readTermItems, readTermSample } from "../../../shared/db/term-items";
import { ITEM_KINDS } from "../../../shared/domain/models";
import { previousRange } from "../../../shared/domain/metrics";
import { risingTermsOf, termDocOf, type TermDoc } from "../../../shared/domain/terms";
import { ValidationError } from "../../../shared/errors";
import { instantOf, timeSpecSchema, tzSchema } from "../trends/trend-query";

/** Within a saved search: most items read per period; beyond it the newest are used and `truncated` says so. */
export const TERMS_MAX_ITEMS_PER_PERIOD = 50_000;
/**
 * Workspace-wide: the sample read per period when it holds more items. Reading items is what
 * rising terms costs (about 65 µs each on the embedded store); the terms that rise are frequent
 * ones, which a sample of this size ranks the same way (the alerts' "why" reads as many).
 */
export const TERMS_SAMPLE_PER_PERIOD = 5_000;
const DAY_MS = 86_400_000;

export const termsQuerySchema = z
  .object({
    from: timeSpecSchema("start (inclusive); default: `to` minus 7 days").optional(),
    to: timeSpecSchema("end (exclusive); default: now").optional(),
    tz: tzSchema("IANA time zone of dates and local times in from/to"),
    kind: z.enum(ITEM_KINDS).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(20),
    minCount: z.coerce.number().int().min(1).max(10_000).default(3),
  })
  .strict();

const periodSchema = z.object({ count: z.number(), docs: z.number(), share: z.number() });
export const termsResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  background: z.object({ from: z.string(), to: z.string() }),
  documents: z.object({ current: z.number(), background: z.number() }).describe("items read, before near-duplicate collapse"),
  population: z
    .object({ current: z.number().nullable(), background: z.number().nullable() })
    .describe("items in each period (null: not counted, a saved search's period over its cap); more than `documents` when a sample was read"),
  truncated: z.boolean().describe("fewer items read than the periods hold: workspace-wide a sample spread over each period, within a saved search the newest"),
  terms: z.array(
    z.object({
      term: z.string(),
      surface: z.string(),
      current: periodSchema,
      background: periodSchema,
      score: z.number().describe("JLH"),
      pValue: z.number(),
      significant: z.boolean(),
    }),
  ),
});

export async function answerRisingTerms(
  cols: Collections,
  workspace: string,
  searchId: string | null,
  q: z.output<typeof termsQuerySchema>,
  now: Date,
): Promise<z.infer<typeof termsResponseSchema>> {
  const to = q.to ? instantOf(q.to, now, q.tz) : now;
  const from = q.from ? instantOf(q.from, now, q.tz) : new Date(to.getTime() - 7 * DAY_MS);
  if (from.getTime() >= to.getTime()) {
    throw new ValidationError("from must be before to", [{ path: "querystring.from", message: "must be before to" }]);
  }
  const bg = previousRange(from, to);
  const read = async (a: Date, b: Date): Promise<{ docs: TermDoc[]; truncated: boolean; population: number | null }> => {
    if (searchId === null) {
      const { items, population } = await readTermSample(cols, { workspace, kind: q.kind, from: a, to: b, limit: TERMS_SAMPLE_PER_PERIOD });
      return { docs: items.map((i) => termDocOf(i)), truncated: population > TERMS_SAMPLE_PER_PERIOD, population };
    }
    const { items, truncated } = await readTermItems(cols, { workspace, searchId, kind: q.kind, from: a, to: b, limit: TERMS_MAX_ITEMS_PER_PERIOD });
    return { docs: items.map((i) => termDocOf(i)), truncated, population: truncated ? null : items.length };
  };
  const [current, background] = await Promise.all([read(from, to), read(bg.from, bg.to)]);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    background: { from: bg.from.toISOString(), to: bg.to.toISOString() },
    documents: { current: current.docs.length, background: background.docs.length },
    population: { current: current.population, background: background.population },
    truncated: current.truncated || background.truncated,
    terms: risingTermsOf(current.docs, background.docs, { limit: q.limit, minCount: q.minCount }),
  };
}
