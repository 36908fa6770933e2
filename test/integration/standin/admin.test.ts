import { existsSync } from "node:fs";
import { MongoClient, MongoServerError } from "mongodb";
import { describe, expect, it } from "vitest";
import { startMongoStandin } from "../../../shared/db/standin";
import { randomName, useStandin } from "./harness";

const h = useStandin();

describe("mongo stand-in: handshake, admin commands and errors", () => {
  it("answers ping, hello and buildInfo like a 7.0 standalone with sessions", async () => {
    const admin = h.client().db("admin");
    expect(await admin.command({ ping: 1 })).toEqual({ ok: 1 });
    const hello = await admin.command({ hello: 1 });
    expect(hello).toMatchObject({ isWritablePrimary: true, maxWireVersion: 21, logicalSessionTimeoutMinutes: 30, ok: 1 });
    expect(hello.maxBsonObjectSize).toBe(16 * 1024 * 1024);
    expect(hello.setName).toBeUndefined();
    const info = await admin.command({ buildInfo: 1 });
    expect(info.versionArray.slice(0, 2)).toEqual([7, 0]);
  });

  it("answers an unknown command with MongoDB's error shape", async () => {
    const err = await h
      .client()
      .db("admin")
      .command({ definitelyNotACommand: 1 })
      .then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    const e = err as MongoServerError;
    expect(e.code).toBe(59);
    expect(e.codeName).toBe("CommandNotFound");
    expect(e.errorResponse).toEqual({ ok: 0, errmsg: "no such command: 'definitelyNotACommand'", code: 59, codeName: "CommandNotFound" });
  });

  it("creates, lists and drops collections and databases", async () => {
    const db = h.freshDb();
    const a = randomName("a");
    const b = randomName("b");
    await db.createCollection(a);
    await db.collection(b).insertOne({ x: 1 });
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    expect(names).toEqual([a, b].sort());
    expect((await db.listCollections({ name: a }).toArray()).map((c) => c.name)).toEqual([a]);

    const exists = await db.createCollection(a).then(() => undefined, (e: MongoServerError) => e);
    expect(exists?.code).toBe(48);

    expect(await db.collection(b).drop()).toBe(true);
    expect((await db.listCollections().toArray()).map((c) => c.name)).toEqual([a]);
    expect(await db.collection(b).countDocuments()).toBe(0);

    await db.collection(a).insertOne({ y: 1 });
    expect(await db.dropDatabase()).toBe(true);
    expect(await db.listCollections().toArray()).toEqual([]);
    expect(await db.collection(a).findOne()).toBeNull();
  });

  it("implicit sessions work: the driver attaches lsid and the stand-in accepts it", async () => {
    const coll = h.freshDb().collection(randomName("c"));
    h.clearEvents();
    await coll.insertOne({ a: 1 });
    const insert = h.started.find((e) => e.commandName === "insert")!;
    expect(insert.command.lsid).toBeDefined();
  });

  it("keeps data per stand-in, removes a temporary data directory on close, and picks a free port", async () => {
    const logs: string[] = [];
    const s = await startMongoStandin({ onLog: (m) => logs.push(m) });
    expect(s.port).toBeGreaterThan(0);
    expect(s.uri).toContain(`:${s.port}`);
    expect(logs[0]).toMatch(/temporary data directory/i);
    expect(existsSync(s.dataDir)).toBe(true);
    const c = new MongoClient(s.uri, { serverSelectionTimeoutMS: 2_000 });
    await c.connect();
    await c.db("x").collection("y").insertOne({ z: 1 });
    expect(await c.db("x").collection("y").countDocuments()).toBe(1);
    // The other stand-in of this file does not see it.
    expect(await h.client().db("x").collection("y").countDocuments()).toBe(0);
    await c.close();
    await s.close();
    await s.close(); // idempotent
    expect(existsSync(s.dataDir)).toBe(false);
  });
});
