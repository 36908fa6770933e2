import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMongoStandin, type MongoStandin } from "../../../shared/db/standin";

let standin: MongoStandin;
let client: MongoClient;
beforeAll(async () => {
  standin = await startMongoStandin({ onLog: () => {} });
  client = new MongoClient(standin.uri);
  await client.connect();
});
afterAll(async () => {
  await client?.close();
  await standin?.close();
});

describe("inclusion projection of dotted paths", () => {
  it("keeps exactly the named nested fields, leaves empty sub-documents as {} and drops scalar parents", async () => {
    const coll = client.db(`p${Date.now()}`).collection("r");
    await coll.insertMany([
      { _id: 1 as never, family: "f", h: { "0": { n: 2, fcr: 1, sum: 9 }, "5": { n: 1, sum: 3 } }, other: 1 },
      { _id: 2 as never, family: "f", h: 7 },
      { _id: 3 as never, family: "f" },
    ]);
    const docs = await coll
      .find({}, { projection: { _id: 0, family: 1, "h.0.n": 1, "h.0.fcr": 1, "h.5.n": 1, "h.5.fcr": 1, "h.9.n": 1 } })
      .sort({ _id: 1 })
      .toArray();
    expect(docs).toEqual([
      { family: "f", h: { "0": { n: 2, fcr: 1 }, "5": { n: 1 } } },
      { family: "f" },
      { family: "f" },
    ]);
  });

  it("projects into arrays element by element, as MongoDB does", async () => {
    const coll = client.db(`p${Date.now()}`).collection("a");
    await coll.insertOne({ _id: 1 as never, a: [{ b: 1, c: 2 }, { b: 3 }, 5] });
    const [doc] = await coll.find({}, { projection: { "a.b": 1 } }).toArray();
    expect(doc).toEqual({ _id: 1, a: [{ b: 1 }, { b: 3 }] });
  });
});
