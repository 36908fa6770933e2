/**
 * Reads rollup buckets for a trend query. The selection comes from the pure domain
 * (`rollupSelectionOf`); only values from it reach the filter, never field names from input.
 * Only the selected cut is read (plus the total cut when the unknown-value group is derived from
 * it), through the index {workspace, scope, family, cut, day}.
 */
import type { Collections } from "./collections";
import type { RollupDoc, RollupSelection } from "../domain/metrics";

export type { RollupSelection };

export function makeRollupsRepo(cols: Pick<Collections, "rollups">) {
  return {
    /**
     * `measures` (from METRIC_MEASURES) limits each hourly slot to what the metric reads; null
     * fetches every measure.
     */
    async load(workspace: string, scope: string, sel: RollupSelection, measures: readonly string[] | null = null): Promise<RollupDoc[]> {
      const filter: Record<string, unknown> = {
        workspace,
        scope,
        family: sel.family,
        cut: sel.cut,
        day: { $gte: sel.days.first, $lte: sel.days.last },
        tag: sel.tag === null ? null : sel.tag === "any" ? { $ne: null } : { $in: sel.tag },
      };
      for (const [dim, values] of Object.entries(sel.dims)) {
        if (!/^[a-zA-Z]+$/.test(dim)) throw new Error(`unexpected dimension name ${JSON.stringify(dim)}`);
        filter[`dims.${dim}`] = { $in: values };
      }
      const projection: Record<string, 0 | 1> = { _id: 0, family: 1, day: 1, cut: 1, dims: 1, tag: 1 };
      if (measures) {
        for (let hour = 0; hour < 24; hour++) for (const m of measures) projection[`h.${hour}.${m}`] = 1;
      } else {
        projection.h = 1;
      }
      // The total cut too when the unknown-value group is derived from it (no dimension filter
      // applies then): one `$in` on the index's cut field, each value a range of days.
      if (sel.unknownFromTotal) filter.cut = { $in: [sel.cut, ""] };
      // The projection leaves out the bookkeeping fields: what remains is the domain RollupDoc.
      return cols.rollups.find<RollupDoc>(filter, { projection }).toArray();
    },
    async deleteScope(workspace: string, scope: string): Promise<number> {
      return (await cols.rollups.deleteMany({ workspace, scope })).deletedCount;
    },
  };
}
export type RollupsRepo = ReturnType<typeof makeRollupsRepo>;
