import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = new URL("../../..", import.meta.url).pathname;
const DIR = join(ROOT, "test/fixtures/alerts/nab-dir");
const out = mkdtempSync(join(tmpdir(), "eval-alerts-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function evalAlerts(args: string[], script = "scripts/eval-alerts.ts"): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, ["--import", "tsx", script, ...args], { cwd: ROOT });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("npm run eval:alerts", () => {
  it("--json: our score per file and in total next to the published detectors; --out writes timestamp,alert per series", async () => {
    const r = await evalAlerts([DIR, "--json", "--out", out]);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    const ours = rows.filter((x) => x.detector === "undercurrent");
    expect(ours.map((x) => x.set)).toEqual(["series_A.csv", "series_B.csv", "total"]);
    for (const x of rows) expect(Object.keys(x).sort()).toEqual(["detected", "detector", "falseAlerts", "score", "set", "windows"]);
    // series A: its one spike found inside its window, no false alert; B: nothing to find, nothing raised
    expect(ours[0]).toMatchObject({ windows: 1, detected: 1, falseAlerts: 0 });
    expect(ours[1]).toMatchObject({ windows: 1, detected: 0, falseAlerts: 0, score: 0 });
    expect(ours[2]).toMatchObject({ windows: 2, detected: 1, falseAlerts: 0 });
    // published: madeUpA has both files (a total), madeUpB only one (no total)
    expect(rows.find((x) => x.detector === "madeUpA" && x.set === "total")).toMatchObject({ score: 37.5, detected: null });
    expect(rows.find((x) => x.detector === "madeUpB" && x.set === "total")).toBeUndefined();

    expect(readdirSync(out).sort()).toEqual(["series_A.csv", "series_B.csv"]);
    const input = readFileSync(join(DIR, "series_A.csv"), "utf8").trim().split("\n");
    const written = readFileSync(join(out, "series_A.csv"), "utf8").trim().split("\n");
    expect(written[0]).toBe("timestamp,alert");
    expect(written.length).toBe(input.length);
    expect(written.slice(1).map((l) => l.split(",")[0])).toEqual(input.slice(1).map((l) => l.split(",")[0]));
    expect(written.filter((l) => l.endsWith(",1"))).toHaveLength(1);
  });

  it("the table names the files, the total and the comparison", async () => {
    const r = await evalAlerts([DIR]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/series_A\.csv\s+1\s+1\s+0/);
    expect(r.stdout).toMatch(/^total\s+2\s+1\s+0/m);
    expect(r.stdout).toMatch(/undercurrent \*/);
    expect(r.stdout).toMatch(/no total for madeUpB/);
  });

  it("says clearly what is missing", async () => {
    const r = await evalAlerts([join(DIR, "nope")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no data directory at .*nope; pass one \(npm run eval:alerts -- <dir>\)/);
    expect(r.stderr).toMatch(/windows\.json/);
    const noWindows = await evalAlerts([join(ROOT, "test/fixtures/alerts")]);
    expect(noWindows.code).toBe(2);
    expect(noWindows.stderr).toMatch(/windows\.json is missing/);
    const bad = await evalAlerts(["--bogus"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown option --bogus/);
  });
});

describe("npm run cv:alerts", () => {
  const cv = (args: string[]) => evalAlerts(args, "scripts/cv-alerts.ts");

  it("--json: per held-out file the variant chosen on the other file and its score, and the cross-validated total", async () => {
    const r = await cv([DIR, "--json", "--grid", '{"zOpen":[7,5]}']);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(rows.map((x) => x.set)).toEqual(["series_A.csv", "series_B.csv", "total"]);
    // A held out: chosen on B, where neither variant alerts (a tie: the default's zOpen 5 first); A's spike is found
    expect(rows[0]).toMatchObject({ detector: "undercurrent-cv", chosen: "zOpen 5", windows: 1, detected: 1, falseAlerts: 0 });
    expect(rows[1]).toMatchObject({ windows: 1, detected: 0, score: 0 });
    expect(rows[2]).toMatchObject({ windows: 2, detected: 1, chosen: null, score: rows[0].score / 2 });
  });

  it("prints the folds and the total; refuses a bad grid or a missing directory", async () => {
    const r = await cv([DIR, "--grid", '{"zOpen":[5]}']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^series_A\.csv\s+1\s+1\s+0/m);
    expect(r.stdout).toMatch(/^cross-validated total\s+2\s+1\s+0/m);
    const bad = await cv([DIR, "--grid", "[1]"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--grid needs a JSON object/);
    const missing = await cv([join(DIR, "nope")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no data directory at .*nope/);
  });
});
