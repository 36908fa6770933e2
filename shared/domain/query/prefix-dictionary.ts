/**
 * The prefixes saved searches use (`cancel*`), interned to ids in the percolator's id space, so a
 * prefix clause is one `HAS` like a word and a prefix search is anchored on its own id.
 *
 * Per item term, `markTerm` walks the term's first characters once with a rolling hash and asks
 * a bit filter whether some interned prefix of that length has that hash; only then does it
 * look the prefix up exactly (in place: no substring). A term that starts no prefix (the usual case)
 * costs a few multiplications and bit reads: no substring and no string hashing.
 * Prefixes are never removed (like stems: the id space grows with what searches used).
 */

import { hashOf, TermTable } from "./term-table";

const FILTER_BITS = 17;

/** The filter cell of a prefix of `length` characters whose rolling hash is `h`. */
function cellOf(h: number, length: number): number {
  return Math.imul(h ^ length, 0x9e3779b1) >>> (32 - FILTER_BITS);
}

export class PrefixDictionary {
  private readonly ids = new TermTable();
  private readonly filter = new Uint8Array(1 << (FILTER_BITS - 3));
  private maxLength = 0;
  /** bit n set: some prefix has n characters (n < 32; longer ones share bit 31) */
  private lengths = 0;

  /** @param newId allocates the next id of the id space this dictionary shares */
  constructor(private readonly newId: () => number) {}

  get size(): number {
    return this.ids.size;
  }

  /** The id of `prefix` (folded; the parser guarantees 3+ characters), interned on first use. */
  idOf(prefix: string): number {
    const h = hashOf(prefix);
    const known = this.ids.get(prefix, h);
    if (known !== -1) return known;
    const id = this.newId();
    this.ids.add(prefix, id);
    const cell = cellOf(h, prefix.length);
    this.filter[cell >>> 3]! |= 1 << (cell & 7);
    this.lengths |= 1 << Math.min(prefix.length, 31);
    this.maxLength = Math.max(this.maxLength, prefix.length);
    return id;
  }

  /**
   * Marks the id of each interned prefix `term` starts with (`mark[id] = stamp`) and appends the
   * ids to `hits`; an id already marked with `stamp` is skipped (two terms sharing a prefix).
   * @returns `hashOf(term)`, computed on the way (the caller looks the whole term up next)
   */
  markPrefixesOf(term: string, mark: Int32Array, stamp: number, hits: number[]): number {
    const last = Math.min(term.length, this.maxLength);
    let h = 0;
    let n = 1;
    for (; n <= last; n++) {
      h = (Math.imul(h, 31) + term.charCodeAt(n - 1)) | 0;
      // only lengths some prefix has (usually one or two) cost a filter probe
      if ((this.lengths & (1 << Math.min(n, 31))) === 0) continue;
      const cell = cellOf(h, n);
      if ((this.filter[cell >>> 3]! & (1 << (cell & 7))) === 0) continue;
      const id = this.ids.getPrefix(term, n, h);
      if (id === -1 || mark[id] === stamp) continue;
      mark[id] = stamp;
      hits.push(id);
    }
    for (; n <= term.length; n++) h = (Math.imul(h, 31) + term.charCodeAt(n - 1)) | 0;
    return h;
  }
}
