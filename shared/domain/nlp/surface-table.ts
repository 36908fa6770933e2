/**
 * A bounded memo keyed by a span of a text (`text`, `start`, `end`), so a word seen before is
 * found without slicing it out of the text or hashing a new string: the hash is computed over the
 * span's characters and candidates are compared character by character. Open addressing with
 * linear probing; cleared when it holds `max` entries (like the other memos, see stemming.ts).
 * Pure: it only changes speed.
 *
 * Layout: each slot is four int32 in one typed array: the hash (0 = empty) and, for a key of at
 * most 12 ASCII characters (most words), the key itself, 7 bits a character, with its length. A
 * probe then compares against the slot it already has in cache instead of following a pointer
 * to the key string; the analyzer's vocabulary outgrows the CPU's L2 cache, where each pointer
 * followed is a cache miss. Longer or non-ASCII keys are compared with their string. The
 * tokenizer packs the words it scans the same way (`getPacked`), so most lookups read no
 * character twice.
 */
export class SurfaceTable<V> {
  private slots: Int32Array;
  private keys: Array<string | undefined>;
  private values: Array<V | undefined>;
  private mask: number;
  private size = 0;

  constructor(private readonly max: number) {
    const cap = 1 << 10;
    this.slots = new Int32Array(cap * SLOT);
    this.keys = new Array(cap).fill(undefined);
    this.values = new Array(cap).fill(undefined);
    this.mask = cap - 1;
  }

  /**
   * Hash of text[start, end); never 0 (0 marks an empty slot). A span of at most 12 ASCII
   * characters hashes its packed key (`packedHash`, what the tokenizer computes), any other span
   * FNV-1a over its UTF-16 code units.
   */
  static hash(text: string, start: number, end: number): number {
    const len = end - start;
    if (len <= MAX_PACKED) {
      let k0 = 0;
      let k1 = 0;
      let k2 = 0;
      let any = 0;
      for (let i = 0; i < len; i++) {
        const c = text.charCodeAt(start + i);
        any |= c;
        if (i < 4) k0 |= c << (7 * i);
        else if (i < 8) k1 |= c << (7 * (i - 4));
        else k2 |= c << (7 * (i - 8));
      }
      if (any < 128) return packedHash(withLength(k0, len), k1, k2);
    }
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    return h === 0 ? 1 : h;
  }

  /** the value stored for the packed key (head with its length, k1, k2) with hash `h`, if any */
  getPacked(head: number, k1: number, k2: number, h: number): V | undefined {
    const slots = this.slots;
    const mask = this.mask;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const at = slot * SLOT;
      const hs = slots[at]!;
      if (hs === 0) return undefined;
      if (hs === h && slots[at + 1] === head && slots[at + 2] === k1 && slots[at + 3] === k2) return this.values[slot];
    }
  }

  /** the value stored for text[start, end) with hash `h`, if any */
  get(text: string, start: number, end: number, h: number): V | undefined {
    const len = end - start;
    const slots = this.slots;
    const mask = this.mask;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const at = slot * SLOT;
      const hs = slots[at]!;
      if (hs === 0) return undefined;
      if (hs !== h) continue;
      const head = slots[at + 1]!;
      const packedLength = head >>> 28;
      if (packedLength === UNPACKED) {
        const k = this.keys[slot]!;
        if (k.length === len && sameSpan(k, text, start)) return this.values[slot];
      } else if (packedLength === len) {
        // compare 4 characters (one int32) at a time with the packed key
        let same = true;
        for (let i = 0; i < len && same; i += 4) {
          const e = i + 4 < len ? i + 4 : len;
          let p = 0;
          let any = 0; // all bits of the characters: a non-ASCII one never matches
          for (let j = i, shift = 0; j < e; j++, shift += 7) {
            const c = text.charCodeAt(start + j);
            any |= c;
            p |= c << shift;
          }
          same = any < 128 && p === (i === 0 ? head & LOW28 : slots[at + 1 + (i >> 2)]!);
        }
        if (same) return this.values[slot];
      }
    }
  }

  /** stores `value` for `key` (which must not be present) with hash `h` (from `hash`); returns `value` */
  set(key: string, h: number, value: V): V {
    if (this.max <= 0) return value;
    if (this.size >= this.max) this.reset(this.keys.length);
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const slot = this.freeSlot(h);
    const at = slot * SLOT;
    this.slots[at] = h;
    packInto(key, this.slots, at + 1);
    this.keys[slot] = key;
    this.values[slot] = value;
    this.size++;
    return value;
  }

  private freeSlot(h: number): number {
    let slot = h & this.mask;
    while (this.slots[slot * SLOT] !== 0) slot = (slot + 1) & this.mask;
    return slot;
  }

  private reset(cap: number): void {
    this.slots = new Int32Array(cap * SLOT);
    this.keys = new Array(cap).fill(undefined);
    this.values = new Array(cap).fill(undefined);
    this.mask = cap - 1;
    this.size = 0;
  }

  private grow(): void {
    const { slots, keys, values } = this;
    this.reset(keys.length * 2);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k === undefined) continue;
      const slot = this.freeSlot(slots[i * SLOT]!);
      this.slots.set(slots.subarray(i * SLOT, i * SLOT + SLOT), slot * SLOT);
      this.keys[slot] = k;
      this.values[slot] = values[i];
      this.size++;
    }
  }
}

/** int32 per slot: hash, then the packed key (length in the top 4 bits of the first word) */
const SLOT = 4;
/** longest key kept packed, in characters */
export const MAX_PACKED = 12;
/** length marker of a key kept only as a string (longer than 12 or not ASCII) */
const UNPACKED = 15;
const LOW28 = (1 << 28) - 1;

/** the first word of a packed key: its first 4 characters and the key's length (top 4 bits) */
export function withLength(k0: number, length: number): number {
  return k0 | (length << 28);
}

/** the hash of a packed key (a 32-bit mix of its three words); never 0 */
export function packedHash(head: number, k1: number, k2: number): number {
  let h = Math.imul(head ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ k1 ^ (h >>> 16), 0xc2b2ae35);
  h = Math.imul(h ^ k2 ^ (h >>> 13), 0x27d4eb2f);
  h ^= h >>> 15;
  return h === 0 ? 1 : h;
}

/** Writes `key` packed (7 bits a character, 4 a word) at slots[at..at+2], or the UNPACKED marker. */
function packInto(key: string, slots: Int32Array, at: number): void {
  const len = key.length;
  let ascii = len <= MAX_PACKED;
  for (let i = 0; i < len && ascii; i++) ascii = key.charCodeAt(i) < 128;
  slots[at] = slots[at + 1] = slots[at + 2] = 0;
  if (!ascii) {
    slots[at] = UNPACKED << 28;
    return;
  }
  for (let i = 0; i < len; i++) slots[at + (i >> 2)]! |= key.charCodeAt(i) << (7 * (i & 3));
  slots[at] = withLength(slots[at]!, len);
}

function sameSpan(key: string, text: string, start: number): boolean {
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}
