/**
 * A MongoDB write that never comes back (the driver can lose an operation when its connection
 * closes at the wrong moment) must cost the caller a 503 after INGEST_WRITE_TIMEOUT_MS, not a
 * request held open forever, and a write that lands after the 503 must not be counted twice when
 * the caller retries.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";

const DEADLINE_MS = 300;
let t: TestApi;
let auth: string;
beforeAll(async () => {
  t = await makeTestApi({ INGEST_WRITE_TIMEOUT_MS: String(DEADLINE_MS) });
  auth = await t.bearer(randomId("ws"), ["ingest", "read"]);
});
afterEach(() => vi.restoreAllMocks());
afterAll(async () => t?.close());

const ticket = () => ({ source: "zendesk", externalId: randomId("tk"), channel: "email", subject: "Refund", status: "open", createdAt: "2026-03-02T10:00:00Z" });
const post = (payload: object) => t.app.inject({ method: "POST", url: "/v1/tickets", payload, headers: { authorization: auth } });

describe("an ingest write MongoDB does not confirm", () => {
  it("is answered 503 (retry later) once the deadline passes, and the server still closes", async () => {
    vi.spyOn(t.mongo.cols.items, "bulkWrite").mockReturnValue(new Promise(() => {}));
    const started = Date.now();
    const res = await post(ticket());
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: "unavailable", message: expect.stringMatching(`within ${DEADLINE_MS} ms; retry later`) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(DEADLINE_MS - 5);
  });

  it("lands once when it completes after the 503 and the caller retries", async () => {
    const tk = ticket();
    const real = t.mongo.cols.items.bulkWrite.bind(t.mongo.cols.items);
    let landed!: Promise<unknown>;
    vi.spyOn(t.mongo.cols.items, "bulkWrite").mockImplementationOnce(((...args: Parameters<typeof real>) => {
      landed = new Promise((r) => setTimeout(r, DEADLINE_MS * 2)).then(() => real(...args));
      return landed;
    }) as typeof real);
    expect((await post(tk)).statusCode).toBe(503);
    await landed;
    const retry = await post(tk);
    expect(retry.statusCode).toBe(202);
    expect(retry.json().items).toEqual([expect.objectContaining({ status: "unchanged" })]);
    expect(await t.mongo.cols.items.countDocuments({ externalId: tk.externalId })).toBe(1);
  });
});
