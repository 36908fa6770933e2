/** `npm run cli -- keys list|revoke` on the database of MONGO_URL (a stand-in server here). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MongoClient } from "mongodb";
import { makeApiKeysRepo } from "../../../shared/db/api-keys-repo";
import { collectionsOf, ensureIndexes, type Collections } from "../../../shared/db/collections";
import { startMongoStandin, type MongoStandin } from "../../../shared/db/standin";
import { exitWithin, killAllChildren, spawnTs } from "../../support/procs-children";
import { randomId } from "../../support/stores";

let standin: MongoStandin;
let client: MongoClient;
let cols: Collections;
const dbName = randomId("db_");

beforeAll(async () => {
  standin = await startMongoStandin({ onLog: () => {} });
  client = await MongoClient.connect(standin.uri);
  await ensureIndexes(client.db(dbName));
  cols = collectionsOf(client.db(dbName));
});
afterAll(async () => {
  await killAllChildren();
  await client?.close();
  await standin?.close();
});

async function cli(...args: string[]) {
  const child = spawnTs("cli/main.ts", args, { MONGO_URL: standin.uri, MONGO_DB: dbName, LOG_LEVEL: "silent" });
  const exit = await exitWithin(child, 30_000);
  return { code: exit.code, output: child.output() };
}

describe("npm run cli -- keys", () => {
  it("lists a workspace's keys without the keys, and revokes one by id", async () => {
    const repo = makeApiKeysRepo(cols);
    const ws = randomId("ws");
    const reader = await repo.create(ws, ["read"], "dashboard");
    const ingest = await repo.create(ws, ["ingest"], "zendesk");
    const listed = await cli("keys", "list", "--workspace", ws);
    expect(listed.code).toBe(0);
    expect(listed.output).toMatch(new RegExp(`${reader.id}\\s+dashboard\\s+read\\s+${reader.prefix}…`));
    expect(listed.output).toContain(ingest.id);
    expect(listed.output).not.toContain(reader.key);
    expect(listed.output.match(/active/g)).toHaveLength(2);

    const revoked = await cli("keys", "revoke", "--workspace", ws, "--id", reader.id);
    expect(revoked.code).toBe(0);
    expect(revoked.output).toMatch(/Revoked k[0-9a-f]{16} \(dashboard\).*AUTH_CACHE_MS \(30000 ms\)/);
    expect(await repo.findActive(reader.key)).toBeNull();
    expect(await repo.findActive(ingest.key)).not.toBeNull();
    expect((await cli("keys", "list", "--workspace", ws)).output).toMatch(/dashboard.*revoked/);
  }, 60_000);

  it("fails with exit 1 for an id the workspace does not have, and 2 for a malformed one", async () => {
    const other = await makeApiKeysRepo(cols).create(randomId("ws"), ["read"]);
    const notHere = await cli("keys", "revoke", "--workspace", randomId("ws"), "--id", other.id);
    expect(notHere.code).toBe(1);
    expect(notHere.output).toMatch(/has no API key k[0-9a-f]{16}/);
    expect(await makeApiKeysRepo(cols).findActive(other.key)).not.toBeNull();
    const malformed = await cli("keys", "revoke", "--workspace", "acme", "--id", "uc_secret");
    expect(malformed.code).toBe(2);
    expect(malformed.output).toMatch(/--id: give the key's id/);
  }, 60_000);

  it("creates a key with an expiry and lists it as expired once past", async () => {
    const ws = randomId("ws");
    const created = await cli("keys", "create", "--workspace", ws, "--scopes", "read", "--expires", "+90d");
    expect(created.code).toBe(0);
    const until = /valid until (\S+)\./.exec(created.output)![1]!;
    expect(Math.abs(Date.parse(until) - (Date.now() + 90 * 86_400_000))).toBeLessThan(60_000);
    const repo = makeApiKeysRepo(cols);
    await repo.create(ws, ["ingest"], "old", new Date(Date.now() + 1_000));
    await new Promise((r) => setTimeout(r, 1_100));
    const listed = (await cli("keys", "list", "--workspace", ws)).output;
    expect(listed).toMatch(/expires\s+state/);
    expect(listed).toMatch(new RegExp(`cli\\s+read.*${until.slice(0, 16).replace("T", " ")}\\s+active`));
    expect(listed).toMatch(/old\s+ingest.*expired/);

    const past = await cli("keys", "create", "--workspace", ws, "--scopes", "read", "--expires", "2020-01-01");
    expect(past.code).toBe(2);
    expect(past.output).toMatch(/--expires: 2020-01-01T00:00:00.000Z is not in the future/);
    const garbled = await cli("keys", "create", "--workspace", ws, "--scopes", "read", "--expires", "soon");
    expect(garbled.code).toBe(2);
    expect(garbled.output).toMatch(/--expires: give a date/);
  }, 60_000);
});
