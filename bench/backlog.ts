/**
 * `npm run bench:backlog [-- --tickets 40000 --every 250 --json]`
 *
 * Does the API stay quick while the workers work through a backlog? `node dist/start.js` with the
 * embedded defaults; a year of tickets is sent in 1,000-item batches as fast as the API takes them,
 * and from the first batch until every ticket is in the trends a probe sends, every `--every` ms:
 * one single-ticket POST (a durable write), one GET /v1/searches (a read) and one GET /healthz
 * (no store: the baseline, measured in the same run). Prints p50 / p99 / max of each, their
 * ratios to the baseline, how long sending and draining took, and any answer that was not 2xx
 * (a busy 503 would mean a write that waited more than the API's write deadline).
 */
import { parseArgs } from "node:util";
import { buildServer, startBuiltServer } from "./support/built-server";
import { demoItems } from "./support/demo-items";

const { values } = parseArgs({
  options: { tickets: { type: "string", default: "40000" }, every: { type: "string", default: "250" }, json: { type: "boolean", default: false } },
});
const N = Number(values.tickets);
const EVERY_MS = Number(values.every);
const log = (m: string) => process.stderr.write(`[bench:backlog] ${m}\n`);

log("building the server");
buildServer({ web: false });
const { base, key, stop } = await startBuiltServer("uc-bench-backlog-");

interface Timed {
  ms: number[];
  notOk: number;
}
const timed = (): Timed => ({ ms: [], notOk: 0 });
const probes = { write: timed(), read: timed(), baseline: timed() };
async function time(into: Timed, url: string, init?: RequestInit): Promise<void> {
  const t = performance.now();
  const res = await fetch(url, init);
  await res.arrayBuffer();
  into.ms.push(performance.now() - t);
  if (!res.ok) into.notOk++;
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

try {
  const auth = { authorization: `Bearer ${key}` };
  const json = { ...auth, "content-type": "application/json" };
  const { tickets } = demoItems({ tickets: N, mentions: 0, surveys: 0, days: 365, end: new Date() });

  let probing = true;
  const probe = (async () => {
    for (let i = 0; probing; i++) {
      await time(probes.write, `${base}/v1/tickets`, { method: "POST", headers: json, body: JSON.stringify({ ...tickets[i % tickets.length], externalId: `probe-${i}` }) });
      await time(probes.read, `${base}/v1/searches`, { headers: auth });
      await time(probes.baseline, `${base}/healthz`);
      await new Promise((r) => setTimeout(r, EVERY_MS));
    }
  })();

  const t0 = performance.now();
  let busy = 0;
  for (let i = 0; i < N; i += 1_000) {
    const res = await fetch(`${base}/v1/tickets`, { method: "POST", headers: json, body: JSON.stringify({ items: tickets.slice(i, i + 1_000) }) });
    await res.arrayBuffer();
    if (res.status === 503 || res.status === 429) busy++;
    else if (res.status !== 202) throw new Error(`batch ${i / 1_000}: ${res.status}`);
  }
  const sentS = (performance.now() - t0) / 1000;
  log(`${N} tickets sent in ${sentS.toFixed(1)} s; waiting until they are all in the trends`);
  const from = new Date(Date.now() - 400 * 86_400_000).toISOString();
  for (;;) {
    const s = (await (await fetch(`${base}/v1/trends/summary?from=${from}`, { headers: auth })).json()) as { volume: { n: number } };
    if (s.volume.n >= N) break;
    await new Promise((r) => setTimeout(r, 2_000));
  }
  const drainedS = (performance.now() - t0) / 1000;
  probing = false;
  await probe;

  const b50 = pct(probes.baseline.ms, 0.5);
  const figures = (t: Timed) => ({
    n: t.ms.length,
    p50Ms: Math.round(pct(t.ms, 0.5)),
    p99Ms: Math.round(pct(t.ms, 0.99)),
    maxMs: Math.round(Math.max(...t.ms)),
    p50xBaseline: Math.round(pct(t.ms, 0.5) / b50),
    notOk: t.notOk,
  });
  const result = {
    bench: "backlog",
    tickets: N,
    everyMs: EVERY_MS,
    sentSeconds: Math.round(sentS * 10) / 10,
    busyAnswers: busy,
    drainedSeconds: Math.round(drainedS * 10) / 10,
    write: figures(probes.write),
    read: figures(probes.read),
    baseline: figures(probes.baseline),
  };
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    const row = (name: string, f: ReturnType<typeof figures>) => `| ${name} | ${f.n} | ${f.p50Ms} | ${f.p99Ms} | ${f.maxMs} | ${f.p50xBaseline}× | ${f.notOk} |`;
    console.log(`\nbacklog benchmark: ${N} tickets sent in 1,000-item batches to npm start (embedded stores); a probe every ${EVERY_MS} ms until all were counted`);
    console.log(`sent in ${result.sentSeconds} s (${busy} busy answers), all in the trends after ${result.drainedSeconds} s (${Math.round(N / drainedS)} items/s)\n`);
    console.log("| request during the backlog | n | p50 ms | p99 ms | max ms | p50 × baseline | not 2xx |");
    console.log("|---|---|---|---|---|---|---|");
    console.log(row("POST /v1/tickets, one ticket", result.write));
    console.log(row("GET /v1/searches", result.read));
    console.log(row("GET /healthz (baseline)", result.baseline));
  }
} finally {
  await stop();
}
