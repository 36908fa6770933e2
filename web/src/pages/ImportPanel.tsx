/**
 * Importing a CSV or JSONL file from the browser: the rows are read with the same importers as
 * the CLI (ServiceNow, airline tweets, canonical columns) and sent in batches, with a progress bar
 * and the accepted/rejected summary. Loaded on demand (the CSV parser is only needed here).
 */
import { parse } from "csv-parse/browser/esm/sync";
import { useState } from "preact/hooks";
import { api } from "../api";
import { ErrorBox } from "../components/Status";
import { formatCount } from "../format";
import { csvFormatOf, type ImportKind } from "../../../shared/domain/importers";

const BATCH = 500;

interface Outcome {
  accepted: number;
  rejected: number;
  errors: { index: number; issues: { path: string; message: string }[] }[];
}

export function rowsOfFile(name: string, text: string, kind: ImportKind): { rows: Record<string, unknown>[]; format: string } {
  if (/\.jsonl?$/i.test(name) || text.trimStart().startsWith("{")) {
    const rows = text.split(/\r?\n/).filter((l) => l.trim()).map((l, i) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        throw new Error(`line ${i + 1} is not JSON`);
      }
    });
    return { rows, format: "jsonl" };
  }
  const records = parse(text, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
  const format = csvFormatOf(Object.keys(records[0] ?? {}), kind);
  return { rows: records.map(format.map), format: format.name };
}

export default function ImportPanel() {
  const [kind, setKind] = useState<ImportKind>("tickets");
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [result, setResult] = useState<(Outcome & { format: string }) | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function run(e: Event) {
    e.preventDefault();
    if (!file) return;
    setError(null);
    setResult(null);
    const total: Outcome = { accepted: 0, rejected: 0, errors: [] };
    let sent = 0;
    try {
      const { rows, format } = rowsOfFile(file.name, await file.text(), kind);
      setProgress({ sent: 0, total: rows.length });
      for (let i = 0; i < rows.length; i += BATCH) {
        const out = await api.post<Outcome>(`/v1/${kind}`, { items: rows.slice(i, i + BATCH) });
        total.accepted += out.accepted;
        total.rejected += out.rejected;
        for (const err of out.errors) if (total.errors.length < 20) total.errors.push({ ...err, index: err.index + i });
        sent = Math.min(rows.length, i + BATCH);
        setProgress({ sent, total: rows.length });
      }
      setResult({ ...total, format });
    } catch (err) {
      setError(new Error(`${err instanceof Error ? err.message : String(err)} — ${formatCount(total.accepted)} rows were accepted before this; importing the file again is safe (nothing is counted twice)`));
    }
  }

  return (
    <section class="panel" aria-labelledby="import-h">
      <h2 id="import-h">Import a file</h2>
      <form onSubmit={run} class="inline-form">
        <label>File (CSV or JSONL) <input type="file" accept=".csv,.jsonl,.json,text/csv" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} /></label>
        <label>As <select value={kind} onChange={(e) => setKind(e.currentTarget.value as ImportKind)}>
          <option value="tickets">tickets</option><option value="mentions">mentions</option><option value="surveys">survey answers</option><option value="customers">customers</option>
        </select></label>
        <button type="submit" disabled={!file || (progress !== null && progress.sent < progress.total && !result && !error)}>Import</button>
      </form>
      {progress ? <p><progress max={progress.total || 1} value={progress.sent} aria-label="Import progress" /> {formatCount(progress.sent)} of {formatCount(progress.total)} rows sent</p> : null}
      <ErrorBox error={error} />
      {result ? (
        <div role="status" data-testid="import-result">
          <p>Done ({result.format}): <strong>{formatCount(result.accepted)}</strong> accepted, <strong>{formatCount(result.rejected)}</strong> rejected.</p>
          {result.errors.length ? (
            <ul>{result.errors.map((e) => <li>row {e.index + 1}: {e.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}</li>)}</ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
