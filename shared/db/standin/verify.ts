/**
 * The integrity check of a data file at start (`verifyOnOpen`). LMDB keeps no page checksums in
 * the build `lmdb` bundles, and it skips a leaf page it cannot read without an error, so two
 * things are compared: every sub-database yields as many entries as its own record counts, and
 * every stored document matches the CRC-32 written before it.
 *
 * Both run on LMDB's side as far as the `lmdb` package allows: entries are counted by its native
 * cursor walk (no key reaches JavaScript), and documents are checked by a decoder that sees the
 * bytes where LMDB left them (no copy per document). On the 7.2 GiB store of 1.1M items that
 * `bench:trends` leaves, this took the check from 11-14 s to under 5 s.
 */
import type { Database, DatabaseOptions, RootDatabase } from "lmdb";
import { checksumHolds } from "./key-bytes";

export class IntegrityError extends Error {}

/** Sub-databases whose entries are counted; `docs` is also checked document by document. */
const COUNTED = ["colls", "idxs", "ids", "keys", "docs"] as const;

type Counted = Record<(typeof COUNTED)[number], Pick<Database<unknown, Buffer>, "getStats" | "getKeysCount">>;

/** Throws an `IntegrityError` (or LMDB's own error, with where it came) on the first problem. */
export function verifyStore(env: RootDatabase, db: Counted): void {
  for (const name of COUNTED) {
    const expected = (db[name].getStats() as { entryCount: number }).entryCount;
    const found = countEntries(db, name);
    if (found !== expected) throw new IntegrityError(`integrity check: ${name} holds ${expected} entries but only ${found} can be read`);
  }
  checkDocumentChecksums(env);
}

function countEntries(db: Counted, name: (typeof COUNTED)[number]): number {
  try {
    return db[name].getKeysCount({});
  } catch (err) {
    throw new Error(`LMDB reports in ${name}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Walks `docs` through a second handle whose decoder checks a value in LMDB's reused read buffer
 * (or the memory-mapped page) and returns its size, so no document is copied or decoded.
 */
function checkDocumentChecksums(env: RootDatabase): void {
  let damaged = false;
  const checker = env.openDB<number, Buffer>({
    name: "docs",
    keyEncoding: "binary",
    encoder: {
      encode: () => {
        throw new Error("the integrity check only reads");
      },
      decode: (bytes: Uint8Array, size: number) => {
        damaged = !checksumHolds(bytes, size);
        return size;
      },
    },
  } as unknown as DatabaseOptions & { name: string });
  let n = 0;
  try {
    for (const { key } of checker.getRange({})) {
      if (damaged) throw new IntegrityError(`integrity check: document ${key.toString("hex")} fails its checksum`);
      n++;
    }
  } catch (err) {
    if (err instanceof IntegrityError) throw err;
    throw new Error(`LMDB reports in docs after ${n} documents: ${(err as Error).message}`, { cause: err });
  }
}
