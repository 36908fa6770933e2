/**
 * The percolator's postings lists: the searches anchored under one key, each a record
 * `[header, length, ...code]` with the search's compiled program (`program.ts`) stored inline.
 * Verifying candidates then reads each list front to back, program included, instead of jumping
 * from the list to a program stored elsewhere (with thousands of searches, a cache miss per
 * candidate). A program anchored under several keys is stored once per key; a record that needs
 * no program (decided by its anchor) has length 0.
 *
 * Lists are plain arrays of small integers (V8 keeps them unboxed). Removal scans and splices:
 * O(list length), paid only when a search is edited or deleted.
 */
export type Postings = number[];

/** Appends the record of `header` (the percolator's slot and flags) with `code` (may be empty). */
export function appendRecord(list: Postings, header: number, code: readonly number[]): void {
  list.push(header, code.length);
  for (let i = 0; i < code.length; i++) list.push(code[i]!);
}

/** Removes the record of `header`; false when there is none. */
export function removeRecord(list: Postings, header: number): boolean {
  for (let i = 0; i < list.length; i += 2 + list[i + 1]!) {
    if (list[i] !== header) continue;
    list.splice(i, 2 + list[i + 1]!);
    return true;
  }
  return false;
}
