/**
 * `npm run cli -- <command>`: operator commands (keys, import, secrets, backup, migrate, shard-setup);
 * `npm run cli -- help` lists them. Exit codes: 0 done, 1 failed, 2 wrong usage. Commands that
 * touch the database use MONGO_URL, else the embedded store of a running `npm start`, else the
 * embedded store in DATA_DIR opened by the command itself.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { API_KEY_SCOPES, hasExpired, scopeSchema, workspaceIdSchema } from "../shared/auth/api-keys";
import { instantOfTimeSpec } from "../shared/domain/time/time-spec";
import type { Db } from "mongodb";
import { loadConfig, readEnvFile, type Config } from "../shared/config";
import { API_KEY_ID_PATTERN, makeApiKeysRepo } from "../shared/db/api-keys-repo";
import { connectMongo, type MongoHandle } from "../shared/db/client";
import { collectionsOf, ensureIndexes } from "../shared/db/collections";
import { readEmbeddedUrls } from "../shared/infra/embedded-registry";
import { importFile } from "./import";
import { IMPORT_KINDS } from "../shared/domain/importers";
import { migrate } from "./migrate";
import { rotateSecretKey } from "./secrets";
import { shardSetup } from "./shard-setup";

/** Help per command group; `npm run cli -- help <group>` or `<group> --help` prints one. */
const HELP: Record<string, string> = {
  keys: `keys — API keys of a workspace (MONGO_URL, else the running npm start's store, else the one in DATA_DIR)
  npm run cli -- keys create --workspace <id> --scopes <${API_KEY_SCOPES.join("|")}>[,...] [--name <label>] [--expires <when>]
      prints the new key once; it is never shown again. --expires: when it stops working, as a
      date (2027-01-01, midnight UTC), an instant (2027-01-01T09:00:00Z) or from now (+90d, +12h)
  npm run cli -- keys list --workspace <id>
      id, name, scopes, created, last used, expiry and state (active, expired, revoked; never the keys)
  npm run cli -- keys revoke --workspace <id> --id <key id>
      the key is refused at once by new processes and within AUTH_CACHE_MS by running ones;
      its dashboard sessions end`,
  import: `import — send a CSV or JSONL file through the API in batches, with a progress bar and a summary
  npm run cli -- import <file.csv|file.jsonl> --kind tickets|mentions|surveys|customers [--url <api>] [--key <key>]
      the key (ingest scope) may also come from UNDERCURRENT_API_KEY; the URL defaults to the
      running npm start. Recognised formats: the ServiceNow incident event log, the airline-tweets
      CSV, and canonical column names (customer.segment, tags as a;b; for customers externalId,
      segment, plan, region, startedAt, cancelledAt, monthlyRevenue, updatedAt)`,
  secrets: `secrets — the key that seals webhook secrets at rest
  npm run cli -- secrets rotate [--new-key <32 bytes as base64 or hex>]
      re-seals every webhook secret under the new key (generated and shown once when not given);
      then set SECRET_KEY to it and restart the API`,
  backup: `backup — a consistent copy of the embedded store (DATA_DIR), taken while npm start keeps running
  npm run cli -- backup <dir>
      <dir> must be new or empty. To restore: stop Undercurrent, move DATA_DIR aside and copy
      <dir> in its place. With MONGO_URL set, back up MongoDB with mongodump instead`,
  migrate: `migrate — copy every collection and index of the embedded store (DATA_DIR) into MongoDB
  npm run cli -- migrate --to <mongodb://...>
      stop Undercurrent first; safe to run again (it resumes, and copies nothing twice); then set
      MONGO_URL to the same address and start again`,
  "shard-setup": `shard-setup — shard the large collections on a sharded MongoDB (MONGO_URL must be a mongos)
  npm run cli -- shard-setup
      items, rollups and term_stats on a hashed _id (README, "Scaling out", says why); the other
      collections stay unsharded. Safe to run again`,
};

const USAGE = `usage: npm run cli -- <command> [options]   (help <command> or <command> --help for details)\n\n${Object.values(HELP).join("\n\n")}`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const [group, command, ...rest] = argv;
  if (group === undefined || group === "help" || group === "--help" || group === "-h") {
    process.stdout.write(`${(command && HELP[command]) ?? USAGE}\n`);
    return;
  }
  if (argv.includes("--help") || argv.includes("-h")) {
    if (!HELP[group]) throw new UsageError(`unknown command "${group}"`);
    process.stdout.write(`${HELP[group]}\n`);
    return;
  }
  if (group === "keys" && command === "create") return keysCreate(rest);
  if (group === "keys" && command === "list") return keysList(rest);
  if (group === "keys" && command === "revoke") return keysRevoke(rest);
  if (group === "import" && command) return importCommand([command, ...rest]);
  if (group === "secrets" && command === "rotate") return secretsRotate(rest);
  if (group === "backup" && command) return backupCommand([command, ...rest]);
  if (group === "shard-setup" && command === undefined) return shardSetupCommand();
  if (group === "migrate") return migrateCommand([command, ...rest].filter((a): a is string => a !== undefined));
  throw new UsageError(`unknown command "${[group, command].filter(Boolean).join(" ")}"`);
}

async function keysCreate(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { workspace: { type: "string" }, scopes: { type: "string" }, name: { type: "string" }, expires: { type: "string" } },
    strict: true,
  });
  const parsed = z
    .object({
      workspace: workspaceIdSchema,
      scopes: z.array(scopeSchema).min(1, "give at least one scope"),
      name: z.string().min(1).max(100).default("cli"),
    })
    .safeParse({ ...values, scopes: values.scopes?.split(",").map((s) => s.trim()).filter(Boolean) ?? [] });
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("\n"));
  }
  const expiresAt = values.expires === undefined ? undefined : expiryOf(values.expires, new Date());
  await withDatabase(async (db) => {
    await ensureIndexes(db);
    const created = await makeApiKeysRepo(collectionsOf(db)).create(parsed.data.workspace, [...new Set(parsed.data.scopes)], parsed.data.name, expiresAt);
    process.stdout.write(
      `Created a key for workspace "${created.workspace}" with scopes ${created.scopes.join(",")} (id ${created.id})` +
        `${created.expiresAt ? `, valid until ${created.expiresAt.toISOString()}` : ""}.\n` +
        `It is shown only this once:\n\n  ${created.key}\n\n`,
    );
  });
}

/** `--expires`: a date or instant (UTC), or a time from now such as +90d; it must lie ahead. */
function expiryOf(spec: string, now: Date): Date {
  const at = instantOfTimeSpec(spec, now.getTime(), "UTC");
  if (!at) throw new UsageError("--expires: give a date (2027-01-01), an instant (2027-01-01T09:00:00Z) or a time from now (+90d, +12h)");
  if (at.getTime() <= now.getTime()) throw new UsageError(`--expires: ${at.toISOString()} is not in the future`);
  return at;
}

/** `--workspace <id>` (required) and `--id <key id>` (when `withId`). */
function keyOptions(args: string[], withId: boolean) {
  const { values } = parseArgs({ args, options: { workspace: { type: "string" }, id: { type: "string" } }, strict: true });
  const workspace = workspaceIdSchema.safeParse(values.workspace);
  if (!workspace.success) throw new UsageError(`--workspace: ${workspace.error.issues[0]!.message}`);
  if (!withId) return { workspace: workspace.data, id: "" };
  if (!values.id || !API_KEY_ID_PATTERN.test(values.id)) throw new UsageError("--id: give the key's id as `keys list` shows it (k + 16 hex digits)");
  return { workspace: workspace.data, id: values.id };
}

async function keysList(args: string[]): Promise<void> {
  const { workspace } = keyOptions(args, false);
  await withDatabase(async (db) => {
    const keys = await makeApiKeysRepo(collectionsOf(db)).list(workspace);
    if (keys.length === 0) {
      process.stdout.write(`Workspace "${workspace}" has no API keys.\n`);
      return;
    }
    const day = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace("T", " ") : "-");
    const now = new Date();
    const state = (k: (typeof keys)[number]) => (k.revokedAt ? `revoked ${day(k.revokedAt)}` : hasExpired(k, now) ? "expired" : "active");
    const rows = keys.map((k) => [k.id, k.name, k.scopes.join(","), `${k.prefix}…`, day(k.createdAt), day(k.lastUsedAt), k.expiresAt ? day(k.expiresAt) : "never", state(k)]);
    const header = ["id", "name", "scopes", "key", "created", "last used", "expires", "state"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const r of [header, ...rows]) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd()}\n`);
  });
}

async function keysRevoke(args: string[]): Promise<void> {
  const { workspace, id } = keyOptions(args, true);
  await withDatabase(async (db, config) => {
    const out = await makeApiKeysRepo(collectionsOf(db)).revoke(workspace, id);
    if (!out) throw new Error(`workspace "${workspace}" has no API key ${id}`);
    process.stdout.write(
      `Revoked ${id} (${out.info.name}); ${out.sessionsEnded} dashboard session(s) ended. ` +
        `Running API processes refuse it within AUTH_CACHE_MS (${config.AUTH_CACHE_MS} ms).\n`,
    );
  });
}

async function secretsRotate(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { "new-key": { type: "string" } }, strict: true });
  await withDatabase(async (db, config) => {
    process.stdout.write(await rotateSecretKey(db, config, values["new-key"]));
  });
}

/** Runs `fn` on the database of MONGO_URL, else of a running `npm start`'s embedded store, else of DATA_DIR's. */
async function withDatabase(fn: (db: Db, config: Config) => Promise<void>): Promise<void> {
  readEnvFile();
  const config = loadConfig();
  const mongo = await openMongo();
  try {
    await fn(mongo.db, config);
  } finally {
    await mongo.close();
  }
}

/**
 * MONGO_URL; else the embedded stand-in of the `npm start` running here; else the embedded store
 * in DATA_DIR, opened by this process for the command (refused while another process has it).
 */
async function openMongo(): Promise<MongoHandle> {
  const config = loadConfig();
  const url = config.MONGO_URL ?? runningEmbeddedUrl();
  return connectMongo({ url, dbName: config.MONGO_DB, dataDir: url ? undefined : config.DATA_DIR, onLog: () => {} });
}

/** The embedded MongoDB of an `npm start` that is still alive (a killed one leaves its entry behind). */
function runningEmbeddedUrl(): string | undefined {
  return readEmbeddedUrls()?.mongoUrl;
}

async function backupCommand(args: string[]): Promise<void> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError("give exactly one directory to write the backup to");
  readEnvFile();
  const config = loadConfig();
  if (config.MONGO_URL) throw new Error("MONGO_URL is set: this command copies the embedded store only; back up MongoDB with mongodump.");
  const started = Date.now();
  const { backupStore } = await import("../shared/db/standin");
  const result = await backupStore(config.DATA_DIR, positionals[0]!);
  process.stdout.write(
    `Backed up ${config.DATA_DIR} to ${result.dir}: ${(result.bytes / 1024 / 1024).toFixed(1)} MiB in ${((Date.now() - started) / 1000).toFixed(1)} s (opened and checked).\n` +
      `To restore: stop Undercurrent, move ${config.DATA_DIR} aside, copy ${positionals[0]} in its place.\n`,
  );
}

async function migrateCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { to: { type: "string" } }, strict: true });
  if (!values.to || !/^mongodb(\+srv)?:\/\//.test(values.to)) throw new UsageError("--to: give the MongoDB connection string (mongodb://...)");
  readEnvFile();
  const config = loadConfig();
  if (config.MONGO_URL) throw new Error("MONGO_URL is set: this process already uses MongoDB; migrate copies the embedded store in DATA_DIR (unset MONGO_URL to run it).");
  if (runningEmbeddedUrl()) throw new Error("npm start is running on the embedded store: stop it first, so the copy is complete.");
  const source = await connectMongo({ dbName: config.MONGO_DB, dataDir: config.DATA_DIR, onLog: () => {} });
  try {
    const target = await connectMongo({ url: values.to, dbName: config.MONGO_DB });
    try {
      const s = await migrate(source.client, target.client, { progress: process.stderr.isTTY, log: (l) => process.stdout.write(`${l}\n`) });
      process.stdout.write(
        `Copied ${s.documents} documents (${s.resumed} already there) of ${s.collections} collections in ${s.databases} database(s), ${s.indexes} indexes.\n` +
          `Now set MONGO_URL=${values.to} (and keep MONGO_DB=${config.MONGO_DB}) and start Undercurrent again.\n`,
      );
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

async function shardSetupCommand(): Promise<void> {
  readEnvFile();
  const config = loadConfig();
  if (!config.MONGO_URL) throw new UsageError("shard-setup needs MONGO_URL set to a mongos (the embedded store is not sharded)");
  const mongo = await connectMongo({ url: config.MONGO_URL, dbName: config.MONGO_DB, onLog: () => {} });
  try {
    const { sharded } = await shardSetup(
      {
        adminCommand: (cmd) => mongo.client.db("admin").command(cmd),
        createIndex: (collection, key) => mongo.db.collection(collection).createIndex(key),
      },
      config.MONGO_DB,
      (line) => process.stdout.write(`${line}\n`),
    );
    process.stdout.write(`Sharded ${sharded.length} collections of ${config.MONGO_DB}.\n`);
  } finally {
    await mongo.close();
  }
}

async function importCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { kind: { type: "string" }, url: { type: "string" }, key: { type: "string" } },
    allowPositionals: true,
    strict: true,
  });
  const kind = z.enum(IMPORT_KINDS).safeParse(values.kind);
  if (!kind.success) throw new UsageError(`--kind: must be ${IMPORT_KINDS.join(", ")}`);
  if (positionals.length !== 1) throw new UsageError("give exactly one file to import");
  readEnvFile();
  const apiKey = values.key ?? process.env.UNDERCURRENT_API_KEY;
  if (!apiKey) throw new UsageError("--key: give an API key with the ingest scope (or set UNDERCURRENT_API_KEY)");
  const apiUrl = values.url ?? readEmbeddedUrls()?.apiUrl ?? `http://127.0.0.1:${loadConfig().PORT}`;
  const summary = await importFile({ file: positionals[0]!, kind: kind.data, apiUrl, apiKey, progress: process.stderr.isTTY });
  process.stdout.write(
    `format ${summary.format}: ${summary.rows} rows, ${summary.accepted} accepted ` +
      `(${summary.created} new, ${summary.updated} newer versions, ${summary.unchanged} already known or older), ` +
      `${summary.rejected} rejected\n` +
      summary.reasons.map(([reason, n]) => `  ${n} x ${reason}\n`).join(""),
  );
}

/** Wrong usage: our own checks, or node:util parseArgs refusing an option. */
function isUsageError(err: unknown): boolean {
  return err instanceof UsageError || String((err as { code?: unknown })?.code ?? "").startsWith("ERR_PARSE_ARGS");
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  if (isUsageError(err)) process.stderr.write(`${message}\n(npm run cli -- help for the commands)\n`);
  else process.stderr.write(`error: ${message}\n`);
  process.exit(isUsageError(err) ? 2 : 1);
});
