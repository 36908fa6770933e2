/**
 * A customer's spells — the intervals during which they were a customer — derived from every
 * version of their record that was received, whatever the order of arrival. Pure.
 *
 * Each version says "a spell started at `startedAt` and ended at `cancelledAt` (null: still
 * running)". Versions are read in `updatedAt` order:
 * - a version naming the start of a known spell updates that spell's end (a cancellation, a
 *   corrected cancellation date, or an undone cancellation);
 * - a version whose spell overlaps no known spell is a new spell: a customer who cancelled and
 *   started again (a reactivation) has two spells, the first one left as it was;
 * - a version whose spell overlaps a known spell with another start corrects that spell (a start
 *   date fixed in the CRM).
 * Because the derivation reads the set of versions sorted by `updatedAt`, a cancellation that
 * arrives after the reactivation that followed it still yields two spells.
 */

export interface CustomerVersion {
  /** ms since the epoch: the version's `updatedAt` */
  updatedAt: number;
  startedAt: Date;
  cancelledAt: Date | null;
  monthlyRevenue?: number;
  /** when this version was first received (for "as known at" views) */
  receivedAt?: Date;
}

export interface Spell {
  startedAt: Date;
  /** null while running */
  cancelledAt: Date | null;
  monthlyRevenue?: number;
}

const endMs = (c: Date | null) => (c === null ? Infinity : c.getTime());
const overlaps = (a: Spell, b: Spell) => a.startedAt.getTime() < endMs(b.cancelledAt) && b.startedAt.getTime() < endMs(a.cancelledAt);

/** The spells the versions describe, oldest first. */
export function spellsOf(versions: Iterable<CustomerVersion>): Spell[] {
  const sorted = [...versions].sort((a, b) => a.updatedAt - b.updatedAt);
  let spells: Spell[] = [];
  for (const v of sorted) {
    const spell: Spell = { startedAt: v.startedAt, cancelledAt: v.cancelledAt };
    const same = spells.find((s) => s.startedAt.getTime() === v.startedAt.getTime());
    if (same) {
      same.cancelledAt = v.cancelledAt;
      if (v.monthlyRevenue !== undefined) same.monthlyRevenue = v.monthlyRevenue;
      continue;
    }
    const kept = spells.filter((s) => !overlaps(s, spell));
    const corrected = spells.find((s) => overlaps(s, spell));
    const revenue = v.monthlyRevenue ?? corrected?.monthlyRevenue;
    if (revenue !== undefined) spell.monthlyRevenue = revenue;
    spells = [...kept, spell].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  }
  return spells;
}

/** The spells as they were known at `t`: only versions received before it. */
export function spellsKnownAt(versions: readonly CustomerVersion[], t: Date): Spell[] {
  return spellsOf(versions.filter((v) => v.receivedAt !== undefined && v.receivedAt.getTime() < t.getTime()));
}

/**
 * The spell that makes the customer a customer at the boundary `t` between two periods: started
 * before `t` and not cancelled before it (`startedAt < t <= cancelledAt`). A customer cancelling
 * exactly at `t` is a customer at the end of the period before and is lost in the period from `t`;
 * one starting exactly at `t` is new in the period from `t`.
 */
export function spellAtBoundary(spells: readonly Spell[], t: Date): Spell | undefined {
  const ms = t.getTime();
  return spells.find((s) => s.startedAt.getTime() < ms && ms <= endMs(s.cancelledAt));
}
