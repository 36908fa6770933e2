/**
 * `npm run demo:data -- --key <ingest key> [--url http://127.0.0.1:3000] [--tickets 3000]`: fills a
 * running Undercurrent with synthetic customers, tickets, mentions and survey answers over the last 90 days
 * (bench/support/demo-items.ts), to see the dashboard with data in it. Rerunning changes nothing.
 */
import { parseArgs } from "node:util";
import { demoItems } from "../bench/support/demo-items";
import { readEmbeddedUrls } from "../shared/infra/embedded-registry";

const { values } = parseArgs({
  options: { key: { type: "string" }, url: { type: "string" }, tickets: { type: "string", default: "3000" }, days: { type: "string", default: "90" } },
});
const key = values.key ?? process.env.UNDERCURRENT_API_KEY;
if (!key) {
  console.error("give --key <a key with the ingest scope> (or set UNDERCURRENT_API_KEY)");
  process.exit(2);
}
const url = values.url ?? readEmbeddedUrls()?.apiUrl ?? "http://127.0.0.1:3000";
const n = Number(values.tickets);
const items = demoItems({ tickets: n, mentions: n, surveys: Math.round(n / 3), days: Number(values.days), end: new Date() });

export async function send(base: string, apiKey: string, path: string, rows: Record<string, unknown>[]): Promise<number> {
  let accepted = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ items: rows.slice(i, i + 500) }),
    });
    const body = (await res.json()) as { accepted?: number; message?: string };
    if (!res.ok) throw new Error(`${path}: ${res.status} ${body.message ?? ""}`);
    accepted += body.accepted ?? 0;
  }
  return accepted;
}

for (const [path, rows] of [["/v1/customers", items.customers], ["/v1/tickets", items.tickets], ["/v1/mentions", items.mentions], ["/v1/surveys", items.surveys]] as const) {
  console.log(`${path}: ${await send(url, key, path, rows)} of ${rows.length} accepted`);
}
