/**
 * The percolator's postings lists: per interned id, the searches anchored under it, each a
 * record `[header, length, ...code]` with the search's compiled program (`program.ts`) stored
 * inline, so verifying candidates reads one list front to back, programs included. A program
 * anchored under several ids is stored once per id; a record that needs no program (decided by
 * its anchor) has length 0.
 *
 * Every list lives in one Int32Array as a contiguous block: reaching a list is two reads of a
 * typed array instead of a chase through an array of arrays, an array object and its elements,
 * a word takes 4 bytes instead of the 8 a small integer takes in a V8 array, and ten thousand
 * searches are not ten thousand arrays for the garbage collector to trace. (Measured against
 * plain arrays, matching time did not change beyond noise.) A block that fills up moves to the
 * end with half as much room again; the space it leaves is reclaimed by compacting once it is
 * more than half of the arena. Removal shifts the rest of the block down: O(list length), paid
 * only when a search is edited or deleted.
 */
import { withCapacity } from "./int32";

/** per id in `blocks`: start, length, capacity */
const STRIDE = 3;
/** room a block gets beyond its records when it is created, moved or compacted */
const headroom = (length: number): number => length + (length >> 1) + 8;

export class PostingsArena {
  /** the records; read directly by the percolator's hot loop (replaced when it grows) */
  data = new Int32Array(1024);
  /** per id: `[start, length, capacity]` of its block in `data` (zeros: no list) */
  blocks = new Int32Array(STRIDE * 64);
  /** end of the last block */
  private used = 0;
  /** words of `data` left behind by blocks that moved */
  private garbage = 0;

  /** @param minGarbage compact only once at least this many words are left behind (small in tests) */
  constructor(private readonly minGarbage = 4096) {}

  /** Start of the list of `id` in `data`. */
  start(id: number): number {
    return id * STRIDE < this.blocks.length ? this.blocks[id * STRIDE]! : 0;
  }

  /** Words of the list of `id` (0 for none). */
  length(id: number): number {
    return id * STRIDE < this.blocks.length ? this.blocks[id * STRIDE + 1]! : 0;
  }

  /** Appends the record of `header` (the percolator's slot and flags) with `code` (may be empty) to the list of `id`. */
  append(id: number, header: number, code: readonly number[]): void {
    this.blocks = withCapacity(this.blocks, (id + 1) * STRIDE);
    const b = id * STRIDE;
    const need = this.blocks[b + 1]! + 2 + code.length;
    if (need > this.blocks[b + 2]!) this.move(id, headroom(need));
    const data = this.data;
    let at = this.blocks[b]! + this.blocks[b + 1]!;
    data[at++] = header;
    data[at++] = code.length;
    for (let i = 0; i < code.length; i++) data[at++] = code[i]!;
    this.blocks[b + 1] = need;
  }

  /** Removes the record of `header` from the list of `id`; false when there is none. */
  remove(id: number, header: number): boolean {
    const start = this.start(id);
    const end = start + this.length(id);
    const data = this.data;
    for (let i = start; i < end; i += 2 + data[i + 1]!) {
      if (data[i] !== header) continue;
      const size = 2 + data[i + 1]!;
      data.copyWithin(i, i + size, end);
      this.blocks[id * STRIDE + 1]! -= size;
      return true;
    }
    return false;
  }

  /** The records of `id`'s list, copied out (for tests). */
  records(id: number): number[] {
    return Array.from(this.data.subarray(this.start(id), this.start(id) + this.length(id)));
  }

  /** Moves the block of `id` to the end of the arena with room for `capacity` words. */
  private move(id: number, capacity: number): void {
    if (this.garbage > this.minGarbage && this.garbage * 2 > this.used) this.compact();
    const blocks = this.blocks;
    const b = id * STRIDE;
    const start = blocks[b]!;
    this.data = withCapacity(this.data, this.used + capacity);
    this.data.copyWithin(this.used, start, start + blocks[b + 1]!);
    this.garbage += blocks[b + 2]!;
    blocks[b] = this.used;
    blocks[b + 2] = capacity;
    this.used += capacity;
  }

  /** Copies every block to a new arena in id order, dropping the space moved blocks left. */
  private compact(): void {
    const { data, blocks } = this;
    let total = 0;
    for (let b = 0; b < blocks.length; b += STRIDE) if (blocks[b + 2]! > 0) total += headroom(blocks[b + 1]!);
    const next = new Int32Array(Math.max(1024, total * 2));
    let at = 0;
    for (let b = 0; b < blocks.length; b += STRIDE) {
      if (blocks[b + 2] === 0) continue;
      const [start, length] = [blocks[b]!, blocks[b + 1]!];
      next.set(data.subarray(start, start + length), at);
      blocks[b] = at;
      blocks[b + 2] = headroom(length);
      at += blocks[b + 2]!;
    }
    this.data = next;
    this.used = at;
    this.garbage = 0;
  }
}
