/**
 * What the rollup drain records on an item as "applied", and the increments that move the rollups
 * from what was applied to what the item contributes now. Pure: the drain (workers) decides when
 * to call it; the same function serves a first attempt and the replay of an interrupted one, so
 * both produce the same increments from the same stored states.
 */
import type { Contribution } from "./contribution";
import { withCuts } from "./contributions-of";
import { diffContributions, type RollupIncrement } from "./rollups";

/**
 * An item's applied contributions, compactly: its own full-tuple contributions (cut "*") once,
 * and the scopes ("all" and matching saved-search ids) they went to. The same contributions go to
 * every scope, so storing them once keeps the record bounded by the item's tags and families,
 * not multiplied by the number of searches it matches.
 */
export interface AppliedContributions {
  scopes: string[];
  own: Contribution[];
}

/** The form drains wrote before `AppliedContributions`: every contribution repeated per scope. */
export type ScopedContribution = Contribution & { scope: string };

/** What may be stored in `rollupApplied`: the current form, the earlier form, or nothing yet. */
export type StoredApplied = AppliedContributions | readonly ScopedContribution[] | null | undefined;

/** The contributions recorded for each scope, whichever form `stored` is in. */
export function appliedByScope(stored: StoredApplied): Map<string, Contribution[]> {
  const out = new Map<string, Contribution[]>();
  if (!stored) return out;
  if (Array.isArray(stored)) {
    for (const { scope, ...c } of stored as readonly ScopedContribution[]) {
      const list = out.get(scope) ?? [];
      list.push(c);
      out.set(scope, list);
    }
    return out;
  }
  const { scopes, own } = stored as AppliedContributions;
  for (const scope of scopes) out.set(scope, own);
  return out;
}

/** How many rollup increments applying `current` against `previous` can produce at most. */
export function incrementBoundOf(previous: StoredApplied, current: AppliedContributions): number {
  let n = withCuts(current.own).length * current.scopes.length;
  for (const cs of appliedByScope(previous).values()) n += withCuts(cs).length;
  return n;
}

/**
 * Adds to `into` the increments that take one item's rollups from `previous` to `current`.
 * Scopes not in `activeScopes` are skipped on both sides: a deleted search's rollups are deleted
 * with it, so nothing is subtracted from them, nor added back by a replay that runs after the
 * deletion.
 */
export function addItemIncrements(
  workspace: string,
  previous: StoredApplied,
  current: AppliedContributions,
  activeScopes: ReadonlySet<string>,
  into: Map<string, RollupIncrement>,
): void {
  const before = appliedByScope(previous);
  for (const scope of before.keys()) if (!activeScopes.has(scope)) before.delete(scope);
  const after = appliedByScope(current);
  for (const scope of after.keys()) if (!activeScopes.has(scope)) after.delete(scope);
  for (const scope of new Set([...before.keys(), ...after.keys()])) {
    diffContributions(withCuts(before.get(scope) ?? []), withCuts(after.get(scope) ?? []), { workspace, scope }, into);
  }
}
