/**
 * One tenant's bad item never fails another's request: writes are group-committed, so a document
 * the database (or the driver) refuses used to fail every request gathered with it. Now it fails
 * only itself — its request's other items are stored — and every other request gets its 202.
 * The poisoned items go through `app.ingest` (the storage path) so that the edge validation,
 * which refuses such keys with a 400 of its own, cannot hide what the storage layer does.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ticketInputSchema } from "../../../shared/domain/models";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";

let t: TestApi;
beforeAll(async () => {
  t = await makeTestApi({ INGEST_FLUSH_MS: "5" }); // a real gathering window
});
afterAll(async () => t?.close());

/** A valid ticket; `attributes` are set after parsing, past the schema that refuses such keys. */
const ticket = (externalId: string, attributes?: Record<string, string>) => {
  const t = ticketInputSchema.parse({ externalId, status: "open", createdAt: "2026-03-02T10:00:00Z", customer: { segment: "smb" } });
  return attributes ? { ...t, customer: { ...t.customer, attributes } } : t;
};

describe("tenant-isolated failure", () => {
  it("a refused document fails only itself; 200 concurrent requests of another workspace all succeed", async () => {
    const wsA = randomId("wsA");
    const wsB = randomId("wsB");
    const authB = await t.bearer(wsB, ["ingest"]);

    const poisoned = Array.from({ length: 5 }, (_, i) =>
      t.app.ingest(wsA, [
        { kind: "ticket", item: ticket(`A-ok-${i}`) },
        { kind: "ticket", item: ticket(`A-bad-${i}`, { ["nul\u0000key"]: "x" }) },
      ]),
    );
    const valid = Array.from({ length: 200 }, (_, i) =>
      t.app.inject({
        method: "POST", url: "/v1/tickets", headers: { authorization: authB },
        payload: { externalId: `B-${i}`, status: "open", createdAt: "2026-03-02T10:00:00Z" },
      }),
    );
    const [aResults, bAnswers] = await Promise.all([Promise.all(poisoned), Promise.all(valid)]);

    expect(bAnswers.map((r) => r.statusCode)).toEqual(Array(200).fill(202));
    expect(await t.mongo.cols.items.countDocuments({ workspace: wsB })).toBe(200);

    for (const [ok, bad] of aResults) {
      expect(ok).toMatchObject({ status: "created" });
      expect(bad).toMatchObject({ error: expect.stringMatching(/refused this item/) });
    }
    expect(await t.mongo.cols.items.countDocuments({ workspace: wsA })).toBe(5);
  });

  it("answers a batch with the refused item listed and the others stored", async () => {
    const ws = randomId("ws");
    const [ok, bad] = await t.app.ingest(ws, [
      { kind: "ticket", item: ticket("fine") },
      { kind: "ticket", item: ticket("broken", { ["nul\u0000key"]: "x" }) },
    ]);
    expect(ok).toMatchObject({ status: "created" });
    expect(bad).toMatchObject({ id: expect.stringContaining("broken"), error: expect.any(String) });
    expect(await t.mongo.cols.items.countDocuments({ workspace: ws, pending: true })).toBe(1);
  });
});
