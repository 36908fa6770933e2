/**
 * The compiled programs of one language's searches in one contiguous Int32Array, addressed by
 * slot. Verifying a candidate then reads three typed arrays (the slot's start, the code, the item's
 * marks) that stay in the CPU cache, instead of following pointers from a slot to an object to an
 * array to its elements, each a likely cache miss once there are thousands of searches.
 *
 * Removing a program leaves a gap; when gaps outweigh live code the arena is compacted, so the
 * cost of a removal is amortized O(program length).
 */

import { withCapacity } from "./int32";

const MIN_COMPACT_WORDS = 4_096;

export class ProgramArena {
  code = new Int32Array(1_024);
  /** per slot: where its program starts in `code` and how long it is (0: no program) */
  private start = new Int32Array(64);
  private length = new Int32Array(64);
  private used = 0;
  private dead = 0;

  /** Where the program of `slot` starts (meaningful only for a slot holding one). */
  startOf(slot: number): number {
    return this.start[slot]!;
  }

  /** Stores `program` for `slot`, replacing any it had. */
  put(slot: number, program: readonly number[]): void {
    this.free(slot);
    this.start = withCapacity(this.start, slot + 1);
    this.length = withCapacity(this.length, slot + 1);
    this.code = withCapacity(this.code, this.used + program.length);
    this.code.set(program, this.used);
    this.start[slot] = this.used;
    this.length[slot] = program.length;
    this.used += program.length;
  }

  free(slot: number): void {
    if (slot >= this.length.length || this.length[slot] === 0) return;
    this.dead += this.length[slot]!;
    this.length[slot] = 0;
    if (this.dead > MIN_COMPACT_WORDS && this.dead * 2 > this.used) this.compact();
  }

  private compact(): void {
    const code = new Int32Array(Math.max(1_024, (this.used - this.dead) * 2));
    let at = 0;
    for (let slot = 0; slot < this.length.length; slot++) {
      const n = this.length[slot]!;
      if (n === 0) continue;
      const from = this.start[slot]!;
      code.set(this.code.subarray(from, from + n), at);
      this.start[slot] = at;
      at += n;
    }
    this.code = code;
    this.used = at;
    this.dead = 0;
  }
}

