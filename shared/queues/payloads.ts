import { z } from "zod";

/** A batch of stored item ids (natural keys) to enrich; the processor reads their current state. */
export const enrichItemsPayload = z.object({
  workspace: z.string(),
  ids: z.array(z.string()).min(1).max(5_000),
});
export type EnrichItemsPayload = z.infer<typeof enrichItemsPayload>;

/** Drain items whose rollup contribution is out of date. No ids: the processor finds them. */
export const updateRollupsPayload = z.object({ reason: z.string().optional() });
export type UpdateRollupsPayload = z.infer<typeof updateRollupsPayload>;

export const backfillSearchPayload = z.object({
  workspace: z.string(),
  searchId: z.string(),
  revision: z.number().int().min(0),
});
export type BackfillSearchPayload = z.infer<typeof backfillSearchPayload>;
