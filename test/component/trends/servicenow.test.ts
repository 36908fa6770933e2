/**
 * The ServiceNow sample (test/fixtures/data/servicenow-incident-events-sample.csv) imported through
 * the CLI's mapping and the batch endpoint; FCR, mean resolution time and volume by channel are
 * computed independently here from the CSV rows and compared with the trend API.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvFormatOf } from "../../../shared/domain/importers";
import { makeTestApi, type TestApi } from "../../support/api";
import { randomId } from "../../support/stores";
import { makeTestWorkers } from "../../support/workers";

const CSV = path.resolve(process.cwd(), "test/fixtures/data/servicenow-incident-events-sample.csv");
const RANGE = "from=2016-02-01T00:00:00Z&to=2017-03-01T00:00:00Z&interval=month&tz=UTC";

type Row = Record<string, string>;

/** `DD-MM-YYYY HH:MM` read as UTC, in ms; NaN for `?`. Written here, not imported. */
function ms(s: string | undefined): number {
  const m = /^(\d{2})-(\d{2})-(\d{4}) (\d{2}):(\d{2})$/.exec((s ?? "").trim());
  return m ? Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]), Number(m[4]), Number(m[5])) : Number.NaN;
}
const monthOf = (t: number) => new Date(t).toISOString().slice(0, 7);

let t: TestApi;
let auth: string;
let rows: Row[];
let rejectedRows: Set<number>;
let rejections: { row: number; issues: { path: string; message: string }[] }[];

beforeAll(async () => {
  t = await makeTestApi();
  const ws = randomId("ws");
  auth = await t.bearer(ws, ["ingest", "read"]);
  rows = parse(readFileSync(CSV), { columns: true, skip_empty_lines: true, bom: true, relax_column_count: true }) as Row[];
  const format = csvFormatOf(Object.keys(rows[0]!), "tickets");
  expect(format.name).toBe("servicenow-incident-events");

  rejectedRows = new Set();
  rejections = [];
  for (let offset = 0; offset < rows.length; offset += 1_000) {
    const items = rows.slice(offset, offset + 1_000).map(format.map);
    const res = await t.app.inject({ method: "POST", url: "/v1/tickets", headers: { authorization: auth }, payload: { items } });
    expect(res.statusCode, res.body).toBe(202);
    const body = res.json() as { accepted: number; rejected: number; errors: { index: number; issues: { path: string; message: string }[] }[] };
    expect(body.accepted + body.rejected).toBe(items.length);
    for (const e of body.errors) {
      rejectedRows.add(offset + e.index);
      rejections.push({ row: offset + e.index, issues: e.issues });
    }
  }
  await makeTestWorkers(t.config, t.mongo, t.queues).settle(ws);
}, 60_000);
afterAll(async () => t?.close());

const get = async (url: string) => {
  const res = await t.app.inject({ method: "GET", url, headers: { authorization: auth } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

/** The latest accepted row of every incident, by sys_updated_at then sys_mod_count. */
function latestRows(): Row[] {
  const latest = new Map<string, { row: Row; key: [number, number] }>();
  rows.forEach((row, i) => {
    if (rejectedRows.has(i)) return;
    const key: [number, number] = [ms(row.sys_updated_at), Number(row.sys_mod_count)];
    const cur = latest.get(row.number!);
    if (!cur || key[0] > cur.key[0] || (key[0] === cur.key[0] && key[1] > cur.key[1])) latest.set(row.number!, { row, key });
  });
  return [...latest.values()].map((x) => x.row);
}

const isResolved = (r: Row) => r.incident_state === "Resolved" || r.incident_state === "Closed";
/**
 * resolved_at, or closed_at when the log has no resolved_at (`?`); never after the row's own update
 * (sys_updated_at plus sys_mod_count ms), since the log repeats the final resolved_at on earlier rows.
 */
const resolvedMs = (r: Row) =>
  Math.min(Number.isNaN(ms(r.resolved_at)) ? ms(r.closed_at) : ms(r.resolved_at), ms(r.sys_updated_at) + Number(r.sys_mod_count));
const channelOf = (r: Row) =>
  ({ Phone: "phone", IVR: "phone", Email: "email", "Self service": "web", "Direct opening": "other" })[r.contact_type!] ?? "other";

describe("the ServiceNow incident sample", () => {
  it("rejects exactly the rows whose update precedes the incident's opening, and says so", () => {
    // The sample has 5 rows whose sys_updated_at is before opened_at (a ServiceNow clock quirk);
    // canonical tickets refuse updatedAt < createdAt, so the API rejects them with that reason.
    const expected = rows.flatMap((r, i) => (ms(r.sys_updated_at) < ms(r.opened_at) ? [i] : []));
    expect(expected.length).toBe(5);
    expect([...rejectedRows].sort((a, b) => a - b)).toEqual(expected);
    for (const r of rejections) {
      expect(r.issues).toEqual([{ path: `items.${r.row % 1_000}.updatedAt`, message: "is before createdAt" }]);
    }
    // none of them is an incident's only row: every incident is still stored
    expect(new Set(latestRows().map((r) => r.number)).size).toBe(new Set(rows.map((r) => r.number)).size);
  });

  it("gives volume by channel equal to the incidents counted from the CSV", async () => {
    const latest = latestRows();
    const byChannel = new Map<string, Map<string, number>>();
    for (const r of latest) {
      const ch = channelOf(r);
      const perMonth = byChannel.get(ch) ?? new Map<string, number>();
      perMonth.set(monthOf(ms(r.opened_at)), (perMonth.get(monthOf(ms(r.opened_at))) ?? 0) + 1);
      byChannel.set(ch, perMonth);
    }
    const body = await get(`/v1/trends/volume?${RANGE}&groupBy=channel`);
    expect(body.definition).toBe("volume.v1");
    const api = Object.fromEntries(
      body.groups.map((g: { key: { channel: string }; total: { n: number }; points: { start: string; n: number }[] }) => [
        g.key.channel,
        { total: g.total.n, months: Object.fromEntries(g.points.filter((p) => p.n > 0).map((p) => [p.start.slice(0, 7), p.n])) },
      ]),
    );
    const mine = Object.fromEntries(
      [...byChannel].map(([ch, perMonth]) => [ch, { total: [...perMonth.values()].reduce((a, b) => a + b, 0), months: Object.fromEntries(perMonth) }]),
    );
    expect(api).toEqual(mine);
    expect(mine.phone?.total).toBe(226); // the sample's 226 incidents are all Phone contacts
  });

  it("gives FCR and mean resolution time equal to the CSV's", async () => {
    const resolved = latestRows().filter(isResolved);
    const oneTouch = resolved.filter((r) => Number(r.reopen_count) === 0); // agentReplies is always 0 here
    const seconds = resolved.map((r) => (resolvedMs(r) - ms(r.opened_at)) / 1000);
    expect(seconds.every((s) => Number.isInteger(s) && s >= 0)).toBe(true);
    const meanSec = seconds.reduce((a, b) => a + b, 0) / seconds.length;

    const fcr = await get(`/v1/trends/fcr?${RANGE}`);
    expect(fcr.definition).toBe("fcr.v1");
    expect(fcr.groups[0].total.parts).toEqual({ resolved: resolved.length, oneTouch: oneTouch.length });
    expect(fcr.groups[0].total.value).toBeCloseTo((100 * oneTouch.length) / resolved.length, 9);

    const rt = await get(`/v1/trends/resolution-time?${RANGE}`);
    expect(rt.definition).toBe("resolution-time.v1");
    expect(rt.groups[0].total.n).toBe(resolved.length);
    expect(Math.abs(rt.groups[0].total.value / meanSec - 1)).toBeLessThan(1e-6);

    // per month (bucketed by the resolution instant) as well
    const perMonth = new Map<string, { n: number; sum: number; fcr: number }>();
    resolved.forEach((r, i) => {
      const m = monthOf(resolvedMs(r));
      const b = perMonth.get(m) ?? { n: 0, sum: 0, fcr: 0 };
      b.n++;
      b.sum += seconds[i]!;
      if (Number(r.reopen_count) === 0) b.fcr++;
      perMonth.set(m, b);
    });
    for (const [i, p] of (rt.groups[0].points as { start: string; n: number; value: number | null }[]).entries()) {
      const b = perMonth.get(p.start.slice(0, 7));
      expect(p.n).toBe(b?.n ?? 0);
      if (b) expect(Math.abs(p.value! / (b.sum / b.n) - 1)).toBeLessThan(1e-6);
      else expect(p.value).toBeNull();
      expect(fcr.groups[0].points[i].parts.oneTouch).toBe(b?.fcr ?? 0);
    }
  });
});
