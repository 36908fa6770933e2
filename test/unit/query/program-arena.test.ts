import { describe, expect, it } from "vitest";
import { ProgramArena } from "../../../shared/domain/query/program-arena";

const read = (a: ProgramArena, slot: number, n: number) => [...a.code.subarray(a.startOf(slot), a.startOf(slot) + n)];

describe("ProgramArena", () => {
  it("keeps every live program intact through replacement, removal, growth and compaction", () => {
    const a = new ProgramArena();
    const live = new Map<number, number[]>();
    const programOf = (slot: number, version: number) => Array.from({ length: 3 + (slot % 7) }, (_, i) => slot * 1_000 + version * 10 + i);
    // enough churn to pass the compaction threshold several times
    for (let round = 0; round < 40; round++) {
      for (let slot = 0; slot < 300; slot++) {
        if ((slot + round) % 3 === 0) {
          a.free(slot);
          live.delete(slot);
        } else {
          const p = programOf(slot, round);
          a.put(slot, p);
          live.set(slot, p);
        }
      }
    }
    for (const [slot, p] of live) expect(read(a, slot, p.length)).toEqual(p);
    // compaction bounds the arena: far less than the 40 rounds of code written
    expect(a.code.length).toBeLessThan(4 * 300 * 10 + 8_192);
  });

  it("moves the survivors intact when frees alone trigger compaction", () => {
    const a = new ProgramArena();
    const programOf = (slot: number) => [slot, slot + 1, slot + 2, slot + 3, slot + 4];
    for (let slot = 0; slot < 2_000; slot++) a.put(slot, programOf(slot));
    const before = a.code.length;
    // freeing 3 of every 5 passes both thresholds (4,096 dead words, half of the used ones)
    for (let slot = 0; slot < 2_000; slot++) if (slot % 5 < 3) a.free(slot);
    expect(a.code.length).toBeLessThan(before);
    for (let slot = 0; slot < 2_000; slot++) if (slot % 5 >= 3) expect(read(a, slot, 5)).toEqual(programOf(slot));
  });
});
