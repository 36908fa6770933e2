/**
 * A customer as a CRM or billing system sends it (POST /v1/customers, CLI import): one version of
 * the customer's record, versioned by `updatedAt` like a ticket. Pure: no I/O, no clock.
 */
import { z } from "zod";
import { attributesSchema, instant, shortText } from "../models";

/** Largest monthly revenue accepted, far above any single customer, low enough for exact sums. */
export const MAX_MONTHLY_REVENUE = 1e12;

export const customerInputSchema = z
  .object({
    externalId: shortText(200),
    segment: shortText(100).optional(),
    plan: shortText(100).optional(),
    region: shortText(100).optional(),
    attributes: attributesSchema.optional(),
    /** when the customer's current spell began (a reactivated customer sends its new start) */
    startedAt: instant,
    /** when that spell ended; absent or null while the customer is active */
    cancelledAt: instant.nullable().optional(),
    /** monthly recurring revenue of the spell, any currency (one per workspace) */
    monthlyRevenue: z.number().finite().min(0).max(MAX_MONTHLY_REVENUE).optional(),
    updatedAt: instant.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const isDate = (d: unknown): d is Date => d instanceof Date;
    if (!isDate(c.startedAt)) return;
    if (isDate(c.cancelledAt) && c.cancelledAt.getTime() < c.startedAt.getTime()) {
      ctx.addIssue({ code: "custom", path: ["cancelledAt"], message: "is before startedAt" });
    }
    if (isDate(c.updatedAt)) {
      if (c.updatedAt.getTime() < c.startedAt.getTime()) ctx.addIssue({ code: "custom", path: ["updatedAt"], message: "is before startedAt" });
      else if (isDate(c.cancelledAt) && c.updatedAt.getTime() < c.cancelledAt.getTime()) {
        ctx.addIssue({ code: "custom", path: ["updatedAt"], message: "is before cancelledAt" });
      }
    }
  })
  // Without updatedAt a version is dated by its latest known instant, as tickets are.
  .transform((c) => ({
    ...c,
    cancelledAt: c.cancelledAt ?? null,
    updatedAt: c.updatedAt ?? new Date(Math.max(c.startedAt.getTime(), c.cancelledAt?.getTime() ?? 0)),
  }));
export type CustomerInput = z.infer<typeof customerInputSchema>;

/** The customer's `_id`: workspace and external id, escaped like an item's natural key. */
export function customerKey(workspace: string, externalId: string): string {
  const esc = (s: string) => s.replaceAll("%", "%25").replaceAll("|", "%7C");
  return `${esc(workspace)}|${esc(externalId)}`;
}
