import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import { busyPauseMs, importFile } from "../../../cli/import";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";

let t: TestApi;
let url: string;
let key: string;
let ws: string;

beforeAll(async () => {
  t = await makeTestApi();
  url = await t.app.listen({ port: 0, host: "127.0.0.1" });
  ws = randomId("ws");
  key = (await t.bearer(ws, ["ingest"])).slice("Bearer ".length);
});
afterAll(async () => t?.close());

const AIRLINE = resolve(process.cwd(), "test/fixtures/data/airline-tweets-sample.csv");

describe("npm run cli -- import", () => {
  it("imports the airline tweets as mentions through the API, counting duplicates once", async () => {
    const summary = await importFile({ file: AIRLINE, kind: "mentions", apiUrl: url, apiKey: key });
    expect(summary.format).toBe("airline-tweets");
    expect(summary.rows).toBe(514);
    expect(summary.accepted + summary.rejected).toBe(summary.rows);
    expect(summary.created + summary.unchanged).toBe(summary.accepted);
    expect(summary.updated).toBe(0); // mentions never change
    const stored = await t.mongo.cols.items.countDocuments({ workspace: ws, kind: "mention" });
    expect(stored).toBe(summary.created);
    // The sample has 514 rows of 509 distinct tweet ids (test/fixtures/data/README.md): the
    // repeated ids arrive as "unchanged".
    expect(summary.created).toBe(509);
    expect(summary.unchanged).toBe(5);

    const again = await importFile({ file: AIRLINE, kind: "mentions", apiUrl: url, apiKey: key });
    expect(again.created).toBe(0);
    expect(await t.mongo.cols.items.countDocuments({ workspace: ws, kind: "mention" })).toBe(stored);
  }, 120_000);

  it("reports a wrong key as an error instead of a silent zero", async () => {
    await expect(importFile({ file: AIRLINE, kind: "mentions", apiUrl: url, apiKey: "uc_nope" })).rejects.toThrow(/401/);
  });
});

describe("npm run cli -- import, when things go wrong or rows are large", () => {
  it("says how many rows were accepted before the API became unreachable, and that a rerun is safe", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "uc-import-"));
    const file = join(dir, "mentions.jsonl");
    // 2,500 rows with ~3 KB of text each: more than one 4 MiB body, sent in size-bounded batches
    const rows = Array.from({ length: 2_500 }, (_, i) =>
      JSON.stringify({ platform: "forum", externalId: `big-${i}`, text: `long post ${i} `.padEnd(3_000, "x"), postedAt: "2026-03-02T10:00:00Z" }),
    );
    writeFileSync(file, rows.join("\n") + "\n");
    const ok = await importFile({ file, kind: "mentions", apiUrl: url, apiKey: key });
    expect(ok).toMatchObject({ rows: 2_500, accepted: 2_500, rejected: 0 });

    const { freePort } = await import("../../../shared/infra/free-port");
    const nobody = `http://127.0.0.1:${await freePort()}`;
    await expect(importFile({ file, kind: "mentions", apiUrl: nobody, apiKey: key })).rejects.toThrow(
      /could not reach the API at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\) at rows 1-\d+; before that, 0 rows were accepted .* again is safe/,
    );
  }, 60_000);

  it("retries a busy API (503, 429) and stores every row once; gives up after a few attempts", async () => {
    // in front of the API: the first requests are answered busy, the rest forwarded
    let busyLeft = 3;
    let busyAnswers = 0;
    const proxy: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", async () => {
        if (busyLeft !== 0) {
          busyLeft--;
          busyAnswers++;
          res.writeHead(busyAnswers % 2 ? 503 : 429, { "content-type": "application/json", "retry-after": "0" });
          res.end(JSON.stringify({ error: "unavailable", message: "retry later" }));
          return;
        }
        const up = await fetch(`${url}${req.url}`, { method: req.method, headers: { "content-type": "application/json", authorization: String(req.headers.authorization) }, body: Buffer.concat(chunks) });
        res.writeHead(up.status, { "content-type": "application/json" });
        res.end(await up.text());
      });
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    try {
      const busyWs = randomId("ws");
      const busyKey = (await t.bearer(busyWs, ["ingest"])).slice("Bearer ".length);
      const summary = await importFile({ file: AIRLINE, kind: "mentions", apiUrl: proxyUrl, apiKey: busyKey, parallel: 1 });
      expect(busyAnswers).toBe(3);
      expect(summary.created).toBe(509);
      expect(await t.mongo.cols.items.countDocuments({ workspace: busyWs, kind: "mention" })).toBe(509);

      busyLeft = -1; // busy for good
      await expect(importFile({ file: AIRLINE, kind: "mentions", apiUrl: proxyUrl, apiKey: busyKey, parallel: 1 })).rejects.toThrow(/API answered (503|429) at rows 1-/);
    } finally {
      await new Promise((r) => proxy.close(r));
    }
    // the pause: the server's Retry-After, else doubling from 1 s up to 30 s
    expect(busyPauseMs("7", 1)).toBe(7_000);
    expect([1, 2, 3, 6, 9].map((a) => busyPauseMs(null, a))).toEqual([1_000, 2_000, 4_000, 30_000, 30_000]);
  }, 120_000);
});
