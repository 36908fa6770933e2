/**
 * A string → id table for the percolator's hot loop (every item term is looked up once).
 *
 * A `Map<string, number>` lookup walks V8's hash chain and compares our key with a string stored
 * elsewhere in the heap: with thousands of stems that is a couple of cache misses per term. Here
 * the slots are typed arrays (our own 32-bit hash and the id), so a term that is not in the table
 * (most terms of most items) is rejected without touching a stored string, and a hit compares
 * one string. Open addressing, linear probing, at most half full. Keys are never removed.
 */

/** A 32-bit hash of `s[0, end)`; `hashOf(s, n)` is also the rolling value after n characters. */
export function hashOf(s: string, end = s.length): number {
  let h = 0;
  for (let i = 0; i < end; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Spreads a hash over the table (31-multiplier hashes of similar words are close). */
function slotOf(h: number, shift: number): number {
  return Math.imul(h, 0x9e3779b1) >>> shift;
}

export class TermTable {
  private hashes = new Int32Array(64);
  /** -1: empty slot */
  private ids = new Int32Array(64).fill(-1);
  private keys: (string | undefined)[] = new Array<string | undefined>(64).fill(undefined);
  private shift = 32 - 6;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The id of `s` (whose {@link hashOf} is `h`), or -1. */
  get(s: string, h: number): number {
    const mask = this.ids.length - 1;
    for (let at = slotOf(h, this.shift); ; at = (at + 1) & mask) {
      const id = this.ids[at]!;
      if (id === -1) return -1;
      if (this.hashes[at] === h && this.keys[at] === s) return id;
    }
  }

  /**
   * The id of the key equal to the first `n` characters of `s` (whose hash is `h`), or -1: a
   * prefix looked up without cutting it out of the term.
   */
  getPrefix(s: string, n: number, h: number): number {
    const mask = this.ids.length - 1;
    for (let at = slotOf(h, this.shift); ; at = (at + 1) & mask) {
      const id = this.ids[at]!;
      if (id === -1) return -1;
      if (this.hashes[at] === h) {
        const key = this.keys[at]!;
        if (key.length === n && s.startsWith(key)) return id;
      }
    }
  }

  /** Adds `s` with `id` (s must not be present). */
  add(s: string, id: number): void {
    if ((this.count + 1) * 2 > this.ids.length) this.grow();
    this.place(s, hashOf(s), id);
    this.count++;
  }

  private place(s: string, h: number, id: number): void {
    const mask = this.ids.length - 1;
    let at = slotOf(h, this.shift);
    while (this.ids[at] !== -1) at = (at + 1) & mask;
    this.hashes[at] = h;
    this.ids[at] = id;
    this.keys[at] = s;
  }

  private grow(): void {
    const { hashes, ids, keys } = this;
    const size = ids.length * 2;
    this.hashes = new Int32Array(size);
    this.ids = new Int32Array(size).fill(-1);
    this.keys = new Array<string | undefined>(size).fill(undefined);
    this.shift -= 1;
    for (let i = 0; i < ids.length; i++) if (ids[i] !== -1) this.place(keys[i]!, hashes[i]!, ids[i]!);
  }
}
