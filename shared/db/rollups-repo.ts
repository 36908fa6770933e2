/**
 * Reads rollup buckets for a trend query. The selection comes from the pure domain
 * (`rollupSelectionOf`); only values from it reach the filter, never field names from input.
 */
import type { Collections } from "./collections";
import type { RollupDoc, rollupSelectionOf } from "../domain/metrics";

export type RollupSelection = ReturnType<typeof rollupSelectionOf>;

export function makeRollupsRepo(cols: Pick<Collections, "rollups">) {
  return {
    async load(workspace: string, scope: string, sel: RollupSelection): Promise<RollupDoc[]> {
      const filter: Record<string, unknown> = {
        workspace,
        scope,
        family: sel.family,
        day: { $gte: sel.days.first, $lte: sel.days.last },
        tag: sel.tag === null ? null : sel.tag === "any" ? { $ne: null } : { $in: sel.tag },
      };
      for (const [dim, values] of Object.entries(sel.dims)) {
        if (!/^[a-zA-Z]+$/.test(dim)) throw new Error(`unexpected dimension name ${JSON.stringify(dim)}`);
        filter[`dims.${dim}`] = { $in: values };
      }
      return cols.rollups
        .find(filter, { projection: { _id: 0, family: 1, day: 1, dims: 1, tag: 1, h: 1 } })
        .toArray() as unknown as Promise<RollupDoc[]>;
    },
    async deleteScope(workspace: string, scope: string): Promise<number> {
      return (await cols.rollups.deleteMany({ workspace, scope })).deletedCount;
    },
  };
}
export type RollupsRepo = ReturnType<typeof makeRollupsRepo>;
