import { z } from "zod";
import type { SearchDoc } from "../../../shared/db/searches-repo";

export const searchInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    query: z.string().trim().min(1).max(2_000).describe('e.g. refund AND (late OR delayed) NOT "thank you" channel:email'),
  })
  .strict();
export const searchPatchSchema = searchInputSchema.partial().strict();

export const searchSchema = z.object({
  id: z.string(),
  name: z.string(),
  query: z.string(),
  revision: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  backfill: z.object({
    state: z.enum(["pending", "running", "done", "failed"]),
    revision: z.number().int(),
    processed: z.number().int(),
    total: z.number().int(),
    error: z.string().optional(),
  }),
});

export const searchIdParams = z.object({ id: z.string().regex(/^s[0-9a-f]{16}$/, "is not a saved-search id") });

export function searchOut(d: SearchDoc): z.infer<typeof searchSchema> {
  return {
    id: d._id,
    name: d.name,
    query: d.query,
    revision: d.revision,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    backfill: d.backfill,
  };
}
