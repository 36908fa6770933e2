/**
 * `npm run cli -- import <file.csv|file.jsonl> --kind tickets|mentions|surveys|customers`: imports history
 * through the same path as live data — the running API's batch endpoint, 1,000 items per request —
 * so validation, versioning and dedupe are exactly those of live ingestion.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { createInterface } from "node:readline";
import { parse } from "csv-parse";
import { SingleBar, Presets } from "cli-progress";
import { csvFormatOf, type ImportKind } from "../shared/domain/importers";
import { MAX_BATCH_ITEMS } from "../shared/domain/ingest/parse-items";

/**
 * Body size budget of one request, below the API's default BODY_LIMIT_BYTES (5 MiB) with room for
 * the envelope: rows with long texts go in smaller batches instead of failing with 413.
 */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

export interface ImportOptions {
  file: string;
  kind: ImportKind;
  apiUrl: string;
  apiKey: string;
  /** requests in flight at once */
  parallel?: number;
  progress?: boolean;
}

export interface ImportSummary {
  format: string;
  rows: number;
  accepted: number;
  rejected: number;
  created: number;
  updated: number;
  unchanged: number;
  /** most frequent rejection reasons with counts */
  reasons: [string, number][];
}

/** Attempts of a request the API answers as busy (503, 429) before the import stops. */
const BUSY_ATTEMPTS = 6;

/** The pause before retrying a busy answer: its Retry-After in seconds, else 1, 2, 4, … 30 s. */
export function busyPauseMs(retryAfter: string | null, attempt: number): number {
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) : Math.min(30, 2 ** (attempt - 1));
  return seconds * 1000;
}

export async function importFile(opts: ImportOptions): Promise<ImportSummary> {
  const size = (await stat(opts.file)).size;
  const bar = opts.progress ? new SingleBar({ format: "{bar} {percentage}% | {value}/{total} bytes | accepted {accepted} rejected {rejected}" }, Presets.shades_classic) : null;
  bar?.start(size, 0, { accepted: 0, rejected: 0 });
  const summary: ImportSummary = { format: "", rows: 0, accepted: 0, rejected: 0, created: 0, updated: 0, unchanged: 0, reasons: [] };
  const reasons = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  const parallel = opts.parallel ?? 2;
  let batch: unknown[] = [];
  let batchBytes = 0;
  let firstRow = 0;
  /** Adds a row; sends the batch when it reaches the API's item count or body size budget. */
  const add = async (item: unknown, bytes: number) => {
    const size = JSON.stringify(item).length + 1;
    if (batch.length > 0 && batchBytes + size > MAX_BATCH_BYTES) await flush(bytes);
    batch.push(item);
    batchBytes += size;
    if (batch.length >= MAX_BATCH_ITEMS) await flush(bytes);
  };

  const rowsOf = (offset: number, count: number) => `rows ${offset + 1}-${offset + count}`;
  /** What was done before a failure, and that running the import again is safe. */
  const sofar = () =>
    `; before that, ${summary.accepted} rows were accepted and ${summary.rejected} rejected. ` +
    "Running the same import again is safe: rows already stored come back as unchanged.";
  const post = (items: unknown[]) =>
    fetch(`${opts.apiUrl}/v1/${opts.kind}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${opts.apiKey}` },
      body: JSON.stringify({ items }),
    });
  const send = async (items: unknown[], offset: number) => {
    let res: Response;
    try {
      // "Busy, retry later" (503 while the database is slow to confirm, 429 over the rate limit)
      // is retried after the server's Retry-After or a growing pause: re-sending is safe, as rows
      // already stored come back as unchanged.
      for (let attempt = 1; ; attempt++) {
        res = await post(items);
        if ((res.status !== 503 && res.status !== 429) || attempt >= BUSY_ATTEMPTS) break;
        await res.body?.cancel();
        await sleep(busyPauseMs(res.headers.get("retry-after"), attempt));
      }
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(
        `could not reach the API at ${opts.apiUrl} (${cause?.code ?? cause?.message ?? (err as Error).message}) at ${rowsOf(offset, items.length)}${sofar()}`,
        { cause: err },
      );
    }
    const body = (await res.json()) as {
      message?: string;
      items?: { status: "created" | "updated" | "unchanged" }[];
      errors?: { index: number; issues: { path: string; message: string }[] }[];
    };
    if (res.status !== 202 && !(res.status === 400 && body.errors)) {
      throw new Error(`API answered ${res.status} at ${rowsOf(offset, items.length)}: ${body.message ?? ""}${sofar()}`);
    }
    for (const it of body.items ?? []) summary[it.status]++;
    summary.accepted += body.items?.length ?? 0;
    summary.rejected += body.errors?.length ?? 0;
    for (const e of body.errors ?? []) {
      for (const i of e.issues) {
        const reason = `${i.path.replace(/^items\.\d+\./, "")}: ${i.message}`;
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
    }
  };
  let failure: unknown = null;
  const flush = async (bytes: number) => {
    if (batch.length === 0) return;
    // A failed request stops the import; requests already in flight finish first.
    const p: Promise<void> = send(batch, firstRow)
      .catch((err: unknown) => {
        failure ??= err;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    firstRow += batch.length;
    batch = [];
    batchBytes = 0;
    if (inFlight.size >= parallel) await Promise.race(inFlight);
    bar?.update(bytes, { accepted: summary.accepted, rejected: summary.rejected });
    if (failure) {
      await Promise.all(inFlight);
      bar?.stop();
      throw failure;
    }
  };

  const input = createReadStream(opts.file);
  let bytesRead = 0;
  input.on("data", (chunk) => (bytesRead += chunk.length));
  if (opts.file.endsWith(".jsonl") || opts.file.endsWith(".ndjson")) {
    summary.format = "jsonl";
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      if (!line.trim()) continue;
      summary.rows++;
      await add(JSON.parse(line), bytesRead);
    }
  } else {
    const rows = input.pipe(parse({ columns: true, skip_empty_lines: true, bom: true, relax_column_count: true }));
    let map: ((row: Record<string, string>) => unknown) | null = null;
    for await (const row of rows as AsyncIterable<Record<string, string>>) {
      if (!map) {
        const format = csvFormatOf(Object.keys(row), opts.kind);
        summary.format = format.name;
        map = format.map;
      }
      summary.rows++;
      await add(map(row), bytesRead);
    }
  }
  await flush(bytesRead);
  await Promise.all(inFlight);
  if (failure) throw failure;
  bar?.update(size, { accepted: summary.accepted, rejected: summary.rejected });
  bar?.stop();
  summary.reasons = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 10);
  return summary;
}
