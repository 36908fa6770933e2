/**
 * Case and accent folding shared by query values and item facets, so `region:EU` matches a
 * customer in region "eu" and `team:"Équipe 2"` matches "equipe 2". Pure.
 */

/** Lowercase, strip combining marks (é -> e), collapse whitespace runs to one space, trim. */
export function foldText(s: string): string {
  return s.toLowerCase().normalize("NFD").replace(/\p{M}+/gu, "").replace(/\s+/g, " ").trim();
}
