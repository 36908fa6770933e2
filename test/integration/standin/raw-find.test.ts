/**
 * Finds answered from the stored bytes (raw-bson.ts), through the official driver: the reply
 * bytes of every batch (first and getMore; documents with an array on a projected path are
 * decoded and mixed in among stored bytes) must be the bytes the decoded path's results encode
 * to, and the driver must read them back as those documents.
 */
import fc from "fast-check";
import { BSON, Long, ObjectId, type Document } from "bson";
import { describe, expect, it } from "vitest";
import { iterateFind } from "../../../shared/db/standin/matching";
import { useStandin } from "./harness";

const h = useStandin();
const OPTS = { validation: { utf8: false } } as const;
const enc = (d: Document) => Buffer.from(BSON.serialize(d, { ignoreUndefined: true }));

const KEYS = ["a", "b", "h", "0", "n"];
const scalar = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.double({ noNaN: true }),
  fc.constantFrom("x", "y", "é"),
  fc.boolean(),
  fc.constant(null),
  fc.date({ min: new Date("2000-01-01"), max: new Date("2030-01-01"), noInvalidDate: true }),
  fc.constant(new ObjectId("64b7f0c2a1b2c3d4e5f60718")),
  fc.constant(Long.fromString("9007199254740993")),
);
const { doc } = fc.letrec<{ value: unknown; doc: Document }>((tie) => ({
  value: fc.oneof({ depthSize: "small" }, scalar, tie("doc"), fc.array(tie("value"), { maxLength: 3 })),
  doc: fc.dictionary(fc.constantFrom(...KEYS), tie("value"), { maxKeys: 4 }),
}));
const projection = fc.oneof(
  fc.constant(undefined),
  fc.uniqueArray(fc.constantFrom("a", "b.a", "h.0.n", "h.0.a", "0", "n.b"), { minLength: 1, maxLength: 4 }).map((inc) => {
    const p: Document = { _id: 0 };
    for (const f of inc) if (!inc.some((g) => g !== f && f.startsWith(g + "."))) p[f] = 1;
    return p;
  }),
  fc.constantFrom({ a: 0, h: 0 }, { _id: 0 }, { _id: 1 }),
);
const filter: fc.Arbitrary<Document> = fc.oneof(
  fc.constant({}),
  scalar.map((v) => ({ a: { $gte: v } })),
  scalar.map((v) => ({ "h.0.n": v })),
  fc.constant({ $or: [{ b: { $exists: true } }, { "n.a": { $ne: null } }] } as Document),
);

describe("find over stored bytes, through the driver", () => {
  it("answers every batch with the bytes of the decoded path's results", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(doc, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(11), { maxLength: 4 }),
        filter,
        projection,
        fc.integer({ min: 1, max: 5 }),
        async (docs, touch, f, proj, batchSize) => {
          const coll = h.freshDb().collection("c");
          await coll.insertMany(docs.map((d, i) => ({ _id: i as never, ...d })));
          // an update reads by _id and caches the new version; finds must still see it
          for (const i of touch) await coll.updateOne({ _id: i as never }, { $set: { touched: true } });
          const stored = (await coll.find({}, { raw: true }).toArray()) as unknown as Buffer[];
          const want = [...iterateFind(stored.map((b) => BSON.deserialize(b, OPTS)), f, { projection: proj })].map(enc);
          const got = (await coll.find(f, { projection: proj, batchSize, raw: true }).toArray()) as unknown as Buffer[];
          expect(got.map((b) => Buffer.from(b))).toEqual(want);
          expect(await coll.find(f, { projection: proj, batchSize }).toArray()).toEqual(want.map((b) => BSON.deserialize(b)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("serves a trend-style dotted projection of many documents over getMore, with skip and limit", async () => {
    const coll = h.freshDb().collection("r");
    const rows = Array.from({ length: 300 }, (_v, i) => ({
      _id: i as never,
      family: "volume",
      day: `2026-01-${String((i % 28) + 1).padStart(2, "0")}`,
      dims: { channel: ["email", "chat"][i % 2] },
      tag: i % 3 ? null : "vip",
      h: Object.fromEntries(Array.from({ length: 24 }, (_x, hr) => [String(hr), { n: hr + i, fcr: hr % 2, sum: i * 1.5 }])),
      updatedAt: new Date(i),
    }));
    await coll.insertMany(rows);
    const projection: Document = { _id: 0, family: 1, day: 1, dims: 1, tag: 1 };
    for (let hr = 0; hr < 24; hr++) projection[`h.${hr}.n`] = 1;
    const f = { family: "volume", "dims.channel": { $in: ["chat"] }, tag: null };
    const got = await coll.find(f, { projection, batchSize: 7 }).skip(3).limit(40).toArray();
    const want = rows
      .filter((r) => r.dims.channel === "chat" && r.tag === null)
      .slice(3, 43)
      .map((r) => ({ family: r.family, day: r.day, dims: r.dims, tag: null, h: Object.fromEntries(Object.entries(r.h).map(([k, v]) => [k, { n: v.n }])) }));
    expect(got).toEqual(want);
  });
});
