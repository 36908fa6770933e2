/**
 * Kinds never collide: a ticket, a mention and survey answers that share an external id (and a
 * source) are separate items, each stored with its own fields; items stored under the earlier
 * key (without the kind) are moved to the new key once, at start.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMigrations } from "../../../shared/db/migrations";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";

let t: TestApi;
beforeAll(async () => {
  t = await makeTestApi();
});
afterAll(async () => t?.close());

describe("item kinds and the natural key", () => {
  it("stores a ticket, a mention and two survey answers with the same externalId as four items", async () => {
    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["ingest"]);
    const externalId = "4711";
    const post = async (url: string, item: unknown) => {
      const res = await t.app.inject({ method: "POST", url, headers: { authorization: auth }, payload: item as object });
      expect(res.statusCode, res.body).toBe(202);
      return res.json().items[0] as { id: string; status: string };
    };
    const answers = [
      // ticket and survey both default to source "api"; mention and survey share "twitter"
      await post("/v1/tickets", { externalId, status: "open", createdAt: "2026-03-02T10:00:00Z", subject: "Refund" }),
      await post("/v1/surveys", { externalId, kind: "nps", score: 3, respondedAt: "2026-03-02T11:00:00Z" }),
      await post("/v1/mentions", { externalId, platform: "twitter", text: "where is my refund", postedAt: "2026-03-02T12:00:00Z" }),
      await post("/v1/surveys", { externalId, source: "twitter", kind: "csat", score: 5, respondedAt: "2026-03-02T13:00:00Z" }),
    ];
    expect(answers.map((a) => a.status)).toEqual(["created", "created", "created", "created"]);
    expect(new Set(answers.map((a) => a.id)).size).toBe(4);

    const stored = await t.mongo.cols.items.find({ workspace: ws }).toArray();
    const byId = new Map(stored.map((d) => [d._id, d]));
    expect(byId.get(answers[0]!.id)).toMatchObject({ kind: "ticket", subject: "Refund", status: "open" });
    expect(byId.get(answers[0]!.id)).not.toHaveProperty("score");
    expect(byId.get(answers[1]!.id)).toMatchObject({ kind: "survey", surveyKind: "nps", score: 3, source: "api" });
    expect(byId.get(answers[2]!.id)).toMatchObject({ kind: "mention", source: "twitter", text: "where is my refund" });
    expect(byId.get(answers[3]!.id)).toMatchObject({ kind: "survey", surveyKind: "csat", score: 5, source: "twitter" });

    // and in the other order a later ticket does not overwrite the survey
    const again = await post("/v1/tickets", { externalId, status: "solved", createdAt: "2026-03-02T10:00:00Z", resolvedAt: "2026-03-02T15:00:00Z", updatedAt: "2026-03-02T15:00:00Z" });
    expect(again).toMatchObject({ id: answers[0]!.id, status: "updated" });
    expect(await t.mongo.cols.items.findOne({ _id: answers[1]!.id })).toMatchObject({ kind: "survey", score: 3 });
  });

  it("moves items stored under the key without the kind, once, keeping everything they carry", async () => {
    const ws = randomId("ws");
    const old = [
      { _id: `${ws}|api|T-1`, workspace: ws, kind: "ticket" as const, source: "api", externalId: "T-1", status: "open", rollupApplied: { scopes: ["all"], own: [] } },
      { _id: `${ws}|twitter|M%7C2`, workspace: ws, kind: "mention" as const, source: "twitter", externalId: "M|2", text: "hi" },
      // already re-keyed by an interrupted run: both copies exist
      { _id: `${ws}|api|S-3`, workspace: ws, kind: "survey" as const, source: "api", externalId: "S-3", score: 9 },
      { _id: `${ws}|survey|api|S-3`, workspace: ws, kind: "survey" as const, source: "api", externalId: "S-3", score: 9 },
    ];
    // Documents of an older layout, partial on purpose: written through the untyped collection.
    await t.mongo.db.collection<{ _id: string }>("items").insertMany(old);
    await t.mongo.db.collection("migrations").deleteMany({});
    await runMigrations(t.mongo.db, { info: () => {} });
    const ids = (await t.mongo.cols.items.find({ workspace: ws }).toArray()).map((d) => d._id).sort();
    expect(ids).toEqual([`${ws}|mention|twitter|M%7C2`, `${ws}|survey|api|S-3`, `${ws}|ticket|api|T-1`].sort());
    expect(await t.mongo.cols.items.findOne({ _id: `${ws}|ticket|api|T-1` })).toMatchObject({ status: "open", rollupApplied: { scopes: ["all"], own: [] } });
    // recorded as done: a second start does not scan again
    expect(await t.mongo.db.collection("migrations").countDocuments({ _id: "2026-12-item-keys-with-kind" } as never)).toBe(1);
    await runMigrations(t.mongo.db, { info: () => { throw new Error("ran again"); } });
  });
});
