/**
 * `npm run cli -- import file.csv --kind customers`: canonical columns through POST /v1/customers,
 * including a reactivation written as two rows of the same customer.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importFile } from "../../../cli/import";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";

let t: TestApi;
let url: string;
beforeAll(async () => {
  t = await makeTestApi();
  url = await t.app.listen({ port: 0, host: "127.0.0.1" });
});
afterAll(async () => t?.close());

describe("customers CSV import", () => {
  it("imports canonical columns, versions rows by updatedAt and rejects bad rows with their reason", async () => {
    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["ingest", "read"]);
    const file = join(mkdtempSync(join(tmpdir(), "uc-cust-")), "customers.csv");
    writeFileSync(file, [
      "externalId,segment,plan,region,startedAt,cancelledAt,monthlyRevenue,updatedAt",
      "a,smb,basic,eu,2025-01-01T00:00:00Z,2025-06-01T00:00:00Z,49.5,2025-06-01T00:00:00Z",
      "a,smb,pro,eu,2025-09-01T00:00:00Z,,99,2025-09-01T00:00:00Z",
      "b,enterprise,pro,us,2025-02-01T00:00:00Z,,1200,",
      "c,smb,basic,eu,not-a-date,,10,",
    ].join("\n"));
    const summary = await importFile({ file, kind: "customers", apiUrl: url, apiKey: auth.slice("Bearer ".length) });
    expect(summary).toMatchObject({ format: "canonical", rows: 4, accepted: 3, rejected: 1 });
    expect(summary.reasons[0]![0]).toMatch(/^startedAt: must be an ISO 8601 date-time/);
    const a = (await t.app.inject({ method: "GET", url: "/v1/customers/a", headers: { authorization: auth } })).json();
    expect(a).toMatchObject({ plan: "pro", monthlyRevenue: 99, active: true });
    expect(a.spells).toEqual([
      { startedAt: "2025-01-01T00:00:00.000Z", cancelledAt: "2025-06-01T00:00:00.000Z", monthlyRevenue: 49.5 },
      { startedAt: "2025-09-01T00:00:00.000Z", cancelledAt: null, monthlyRevenue: 99 },
    ]);
  });
});
