/**
 * The storage engine under the stand-in: one LMDB environment (the `lmdb` package) in a data
 * directory. LMDB supplies the B+trees, copy-on-write pages, ACID transactions and crash safety;
 * this file only opens the directory safely, checks it, names the sub-databases and copies it.
 *
 * Sub-databases (all keys are byte strings, compared with memcmp):
 * - `meta`  format version;
 * - `colls` collection id (4 bytes) -> BSON `{db, name, options}`;
 * - `idxs`  index id (4 bytes) -> BSON `{coll, spec, multikey}`;
 * - `docs`  collection id + record id (8 bytes, insertion order = natural order) -> CRC-32 + BSON;
 * - `ids`   collection id + order-preserving key of `_id` -> record id (the `_id` index);
 * - `keys`  index id + order-preserving index key + record id -> empty (secondary indexes, so
 *           equality, prefix and range lookups are ordered range reads).
 *
 * Durability: `overlappingSync` is off, so a commit returns only after LMDB wrote the changed
 * pages, fdatasync'ed them and then wrote the meta page with O_DSYNC (LMDB's own commit
 * protocol). The server runs every command received in one event-loop turn inside one
 * transaction (group commit) and replies after the commit returns. A commit torn by a crash never
 * reaches the meta page, so on the next open LMDB uses the previous meta page: the last write is
 * rolled back whole, nothing else is touched.
 */
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, fsyncSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Database as LmdbDb, RootDatabase } from "lmdb";
import { verifyStore } from "./verify";

/** Bumped when the layout changes incompatibly. */
export const FORMAT_VERSION = 1;
export const DATA_FILE = "data.mdb";
const LOCK_FILE = "LOCK";
/** LMDB's magic number, at byte 16 of both meta pages (little-endian). */
const MDB_MAGIC = 0xbeefc0de;
/**
 * Where the meta record starts in a meta page: after the 24-byte page header of the LMDB version
 * `lmdb` 3.x bundles (mdb.master3; 16 bytes in LMDB 0.9). A test opens a fresh file through this.
 */
const META = 24;

/** The data file cannot be used as it is; `message` says what is wrong and how to restore. */
export class StoreDamagedError extends Error {
  override name = "StoreDamagedError";
  readonly code = "STORE_DAMAGED";
}

/** Another live process has the data directory open. */
export class StoreLockedError extends Error {
  override name = "StoreLockedError";
  readonly code = "STORE_LOCKED";
}

export interface EngineOptions {
  /** the data directory; undefined = a fresh temporary directory, removed by close() */
  dir?: string;
  /**
   * Check an existing file when opening it (default true; verify.ts): every sub-database's entries
   * are counted and every document's checksum compared, so damage stops the start instead of
   * surfacing later. LMDB keeps no page checksums of its own in this build.
   */
  verifyOnOpen?: boolean;
  /**
   * The caller already holds the directory's lock (`acquireLock`): the stand-in's thread, whose
   * starter locks the directory for the whole process (a thread's module state is its own).
   */
  lockHeld?: boolean;
}

export function damagedMessage(file: string, dir: string, detail: string): string {
  return (
    `The embedded MongoDB store's data file is damaged: ${file} (${detail}). Nothing was changed and the store was not started.\n` +
    `To restore a backup: stop Undercurrent, move the damaged directory aside (mv ${dir} ${dir}.damaged), ` +
    `copy a backup made by \`npm run cli -- backup <backup-dir>\` in its place (cp -r <backup-dir> ${dir}) and start again. ` +
    `Without a backup, start with an empty DATA_DIR.`
  );
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Directories opened by this process (its own pid in a LOCK file proves nothing after a pid reuse). */
const openHere = new Set<string>();

/**
 * A pid file keeps two stand-ins from serving one directory (each keeps its own catalog in
 * memory). A lock left by a killed process (its pid is gone) is taken over.
 */
export function acquireLock(dir: string): string {
  const path = join(dir, LOCK_FILE);
  if (openHere.has(dir)) throw new StoreLockedError(`The data directory ${dir} is already open in this process.`);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      openHere.add(dir);
      return path;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number(readFileSync(path, "utf8").trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
        throw new StoreLockedError(`The data directory ${dir} is in use by process ${pid} (another npm start?). Stop it, or set DATA_DIR to another directory.`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new StoreLockedError(`Could not lock the data directory ${dir}`);
}

export function releaseLock(dir: string, path: string): void {
  rmSync(path, { force: true });
  openHere.delete(dir);
}

/**
 * Checks what LMDB itself does not before it maps the file: both meta pages carry LMDB's magic,
 * and the file is long enough for the pages the newest meta page says are in use (a truncated
 * file would otherwise fault on first read).
 */
function checkFile(file: string, dir: string): void {
  const size = statSync(file).size;
  if (size === 0) return;
  const fd = openSync(file, "r");
  try {
    const head = Buffer.alloc(Math.min(size, 2 * 65536));
    const n = readSync(fd, head, 0, head.length, 0);
    if (n < META + 136) throw new StoreDamagedError(damagedMessage(file, dir, `only ${size} bytes, shorter than LMDB's header`));
    // Meta page 0 at offset 0, meta page 1 one page later; each after the page header.
    if (head.readUInt32LE(META) !== MDB_MAGIC) throw new StoreDamagedError(damagedMessage(file, dir, "the first header page is not an LMDB header"));
    const ps = head.readUInt32LE(META + 24); // mm_dbs[FREE_DBI].md_pad holds the page size
    if (ps < 512 || ps > 65536 || (ps & (ps - 1)) !== 0) throw new StoreDamagedError(damagedMessage(file, dir, `the header names an impossible page size ${ps}`));
    if (n < ps + META + 136) throw new StoreDamagedError(damagedMessage(file, dir, "the second header page is missing"));
    if (head.readUInt32LE(ps + META) !== MDB_MAGIC) throw new StoreDamagedError(damagedMessage(file, dir, "the second header page is not an LMDB header"));
    let lastPage = 0n;
    let bestTxn = -1n;
    for (const base of [0, ps]) {
      // mm_last_pg and mm_txnid follow magic, version, address, mapsize and two 48-byte MDB_db records
      const lastPg = head.readBigUInt64LE(base + META + 120);
      const txn = head.readBigUInt64LE(base + META + 128);
      if (txn > bestTxn) {
        bestTxn = txn;
        lastPage = lastPg;
      }
    }
    const needed = (lastPage + 1n) * BigInt(ps);
    if (BigInt(size) < needed) {
      throw new StoreDamagedError(damagedMessage(file, dir, `the file is ${size} bytes but its newest header uses ${needed} bytes: it was truncated`));
    }
  } finally {
    closeSync(fd);
  }
}


export interface Subdbs {
  meta: LmdbDb<unknown, string>;
  colls: LmdbDb<Buffer, Buffer>;
  idxs: LmdbDb<Buffer, Buffer>;
  docs: LmdbDb<Buffer, Buffer>;
  ids: LmdbDb<Buffer, Buffer>;
  keys: LmdbDb<Buffer, Buffer>;
}

export class Engine {
  private constructor(
    readonly env: RootDatabase,
    readonly db: Subdbs,
    readonly dir: string,
    /** undefined when the caller holds the lock (`lockHeld`) */
    private readonly lockPath: string | undefined,
    private readonly temporary: boolean,
  ) {}

  get file(): string {
    return join(this.dir, DATA_FILE);
  }

  static async open(opts: EngineOptions = {}): Promise<Engine> {
    // Loaded on demand: a process that talks to a real MongoDB never maps a file.
    const { open } = await import("lmdb");
    const temporary = opts.dir === undefined;
    const dir = temporary ? mkdtempSync(join(tmpdir(), "undercurrent-store-")) : resolve(opts.dir!);
    mkdirSync(dir, { recursive: true });
    const lockPath = opts.lockHeld ? undefined : acquireLock(dir);
    const file = join(dir, DATA_FILE);
    const existed = existsSync(file) && statSync(file).size > 0;
    let env: RootDatabase | undefined;
    try {
      if (existed) checkFile(file, dir);
      try {
        env = open({
          path: dir,
          maxDbs: 8,
          overlappingSync: false,
          // temporary stores (tests, benchmarks) need no fsync: they die with the process
          noSync: temporary,
          compression: false,
          encoding: "binary",
          keyEncoding: "binary",
          // lmdb-js keeps a separate lock file; the data file keeps LMDB's default name
          noSubdir: false,
        } as Parameters<typeof open>[0]) as RootDatabase;
      } catch (err) {
        throw new StoreDamagedError(damagedMessage(file, dir, `LMDB reports: ${(err as Error).message}`));
      }
      const sub = (name: string) => env!.openDB<Buffer, Buffer>({ name, encoding: "binary", keyEncoding: "binary" });
      const db: Subdbs = {
        meta: env.openDB<unknown, string>({ name: "meta", encoding: "msgpack", keyEncoding: "ordered-binary" }),
        colls: sub("colls"),
        idxs: sub("idxs"),
        docs: sub("docs"),
        ids: sub("ids"),
        keys: sub("keys"),
      };
      const version = db.meta.get("format");
      if (existed && version === undefined) throw new StoreDamagedError(damagedMessage(file, dir, "no format marker: not a data directory of this program"));
      if (version !== undefined && version !== FORMAT_VERSION) {
        throw new StoreDamagedError(
          `The data file ${file} has storage format ${String(version)}; this version of Undercurrent reads format ${FORMAT_VERSION}. Use the matching version, or restore a backup made with this one.`,
        );
      }
      if (version === undefined) db.meta.transactionSync(() => db.meta.putSync("format", FORMAT_VERSION));
      if (existed && opts.verifyOnOpen !== false) {
        try {
          verifyStore(env, db);
        } catch (err) {
          throw new StoreDamagedError(damagedMessage(file, dir, (err as Error).message));
        }
      }
      return new Engine(env, db, dir, lockPath, temporary);
    } catch (err) {
      if (env) await env.close().catch(() => {});
      if (lockPath) releaseLock(dir, lockPath);
      if (temporary) rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** Runs `fn` in one write transaction; returns once it is committed (and, unless temporary, on disk). */
  transaction<T>(fn: () => T): T {
    return this.env.transactionSync(fn) as T;
  }

  async close(): Promise<void> {
    try {
      await this.env.close();
    } finally {
      if (this.lockPath) releaseLock(this.dir, this.lockPath);
      if (this.temporary) rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

export interface BackupResult {
  dir: string;
  file: string;
  bytes: number;
}

/**
 * A consistent copy of the store in `dataDir` into the empty (or new) directory `destDir`, taken
 * while a server may keep writing to it: the directory is opened read-only (LMDB lets any number
 * of processes read beside its one writer) and LMDB's own copy (`mdb_env_copy2`, compacting)
 * writes one snapshot of a read transaction. The copy is then opened and checked like a start.
 */
export async function backupStore(dataDir: string, destDir: string): Promise<BackupResult> {
  const { open } = await import("lmdb");
  const src = resolve(dataDir);
  const srcFile = join(src, DATA_FILE);
  if (!existsSync(srcFile)) throw new Error(`No embedded store at ${src} (no ${DATA_FILE}): is DATA_DIR right?`);
  checkFile(srcFile, src);
  const dest = resolve(destDir);
  mkdirSync(dest, { recursive: true });
  if (readdirSync(dest).length > 0) throw new Error(`The backup directory ${dest} is not empty: give a new or empty directory.`);
  const out = join(dest, DATA_FILE);
  const env = open({ path: src, readOnly: true, maxDbs: 8, encoding: "binary", keyEncoding: "binary" } as Parameters<typeof open>[0]);
  try {
    // with a data directory (not MDB_NOSUBDIR) LMDB's copy takes the target directory
    await env.backup(dest, true);
  } finally {
    await env.close();
  }
  // fsync the copy and its directory before calling it a backup
  const fd = openSync(out, "r+");
  fsyncSync(fd);
  closeSync(fd);
  const dfd = openSync(dest, "r");
  fsyncSync(dfd);
  closeSync(dfd);
  const check = await Engine.open({ dir: dest });
  await check.close();
  rmSync(join(dest, "lock.mdb"), { force: true });
  return { dir: dest, file: out, bytes: statSync(out).size };
}
