/**
 * A bounded memo keyed by a span of a text (`text`, `start`, `end`), so a word seen before is
 * found without slicing it out of the text or hashing a new string: the hash is computed over the
 * span's characters and candidates are compared character by character. Open addressing with
 * linear probing; cleared when it holds `max` entries (like the other memos, see stemming.ts).
 * Pure: it only changes speed.
 */
export class SurfaceTable<V> {
  private keys: Array<string | undefined>;
  private values: Array<V | undefined>;
  private hashes: Int32Array;
  private mask: number;
  private size = 0;

  constructor(private readonly max: number) {
    const cap = 1 << 10;
    this.keys = new Array(cap).fill(undefined);
    this.values = new Array(cap).fill(undefined);
    this.hashes = new Int32Array(cap);
    this.mask = cap - 1;
  }

  /** FNV-1a over the UTF-16 code units of text[start, end) */
  static hash(text: string, start: number, end: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    return h;
  }

  /** the value stored for text[start, end) with hash `h`, if any */
  get(text: string, start: number, end: number, h: number): V | undefined {
    const len = end - start;
    const keys = this.keys;
    const hashes = this.hashes;
    const mask = this.mask;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const k = keys[slot];
      if (k === undefined) return undefined;
      if (hashes[slot] === h && k.length === len) {
        let same = true;
        for (let i = 0; i < len; i++) {
          if (k.charCodeAt(i) !== text.charCodeAt(start + i)) {
            same = false;
            break;
          }
        }
        if (same) return this.values[slot];
      }
    }
  }

  /** stores `value` for `key` (which must not be present) with hash `h`; returns `value` */
  set(key: string, h: number, value: V): V {
    if (this.max <= 0) return value;
    if (this.size >= this.max) this.reset(this.keys.length);
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    this.insert(key, h, value);
    this.size++;
    return value;
  }

  private insert(key: string, h: number, value: V): void {
    let slot = h & this.mask;
    while (this.keys[slot] !== undefined) slot = (slot + 1) & this.mask;
    this.keys[slot] = key;
    this.values[slot] = value;
    this.hashes[slot] = h;
  }

  private reset(cap: number): void {
    this.keys = new Array(cap).fill(undefined);
    this.values = new Array(cap).fill(undefined);
    this.hashes = new Int32Array(cap);
    this.mask = cap - 1;
    this.size = 0;
  }

  private grow(): void {
    const { keys, values, hashes } = this;
    this.reset(keys.length * 2);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k !== undefined) {
        this.insert(k, hashes[i]!, values[i] as V);
        this.size++;
      }
    }
  }
}
