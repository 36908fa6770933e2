/**
 * The check at start (verify.ts) reads each document where LMDB keeps it instead of copying it,
 * which takes different paths in the `lmdb` package by size: inside its reused read buffer, past
 * that buffer, and on overflow pages. A document changed behind the store's back is found on each.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { Engine } from "../../../shared/db/standin/engine";
import { checksumHolds } from "../../../shared/db/standin/key-bytes";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function stored(payload: Buffer): Buffer {
  const out = Buffer.alloc(4 + payload.length);
  out.writeUInt32BE(crc32(payload), 0);
  payload.copy(out, 4);
  return out;
}

const docKey = (rid: number) => {
  const k = Buffer.alloc(8);
  k.writeUInt32BE(1, 0);
  k.writeUInt32BE(rid, 4);
  return k;
};

/** A closed store holding documents of the given sizes; the one at `damage` has a byte flipped. */
async function storeWith(sizes: number[], damage?: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "uc-verify-"));
  dirs.push(dir);
  const engine = await Engine.open({ dir });
  engine.transaction(() => {
    sizes.forEach((size, i) => {
      const value = stored(Buffer.alloc(size, 0x61 + (i % 26)));
      if (i === damage) value[value.length - 2] = value[value.length - 2]! ^ 0x04;
      engine.db.docs.putSync(docKey(i), value);
    });
  });
  await engine.close();
  return dir;
}

const SIZES = [40, 3_000, 40_000, 300_000, 3_000_000, 60];

describe("integrity check of stored documents at start", () => {
  it("passes a whole store of small, page-sized and overflowing documents", async () => {
    const dir = await storeWith(SIZES);
    const engine = await Engine.open({ dir });
    expect(engine.db.docs.getKeysCount({})).toBe(SIZES.length);
    await engine.close();
  });

  it.each(SIZES.map((size, i) => [size, i] as const))("finds a changed document of %i bytes", async (_size, i) => {
    const dir = await storeWith(SIZES, i);
    const err = await Engine.open({ dir }).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(err?.code).toBe("STORE_DAMAGED");
    expect(err?.message).toContain(`integrity check: document ${docKey(i).toString("hex")} fails its checksum`);
  });

  it("checksumHolds reads only the given size of a reused buffer", () => {
    const value = stored(Buffer.from("a document"));
    const reused = Buffer.concat([value, Buffer.from("left over from a longer value")]);
    expect(checksumHolds(reused, value.length)).toBe(true);
    expect(checksumHolds(reused)).toBe(false);
    expect(checksumHolds(value.subarray(0, 8))).toBe(false);
  });
});
