/**
 * The baseline of `bench/trends.ts`: the year-by-day volume and FCR per channel computed with one
 * aggregation over the raw items (no rollups), and the comparison with the rollup answer.
 */
import type { Collection } from "mongodb";
import type { ItemDoc, TicketDoc } from "../../shared/db/collections";
import type { TrendResponse } from "../../api/routes/trends/trend-query";

export interface RawCounts {
  /** items that passed the $match (documents the query had to read) */
  matched: number;
  /** "YYYY-MM-DD|channel" (local day in tz) -> tickets created */
  volume: Map<string, number>;
  /** "YYYY-MM-DD|channel" -> resolved tickets and one-touch resolutions */
  fcr: Map<string, { n: number; fcr: number }>;
}

/**
 * One aggregation: $match on workspace, kind and range, then $facet with a $group by local day
 * ($dateToString with `timezone`) and channel for each metric. FCR follows fcr.v1: status
 * solved|closed with resolvedAt in range, one-touch = agentReplies <= 1 and reopens = 0.
 */
export async function rawCounts(items: Collection<ItemDoc>, workspace: string, from: Date, to: Date, tz: string): Promise<RawCounts> {
  const inRange = { $gte: from, $lt: to };
  // The stand-in's mingo accepts "Area/Location" names and offsets but not "UTC"; "Etc/UTC" is the
  // same zone and works on MongoDB too.
  const timezone = tz === "UTC" ? "Etc/UTC" : tz;
  const dayOf = (field: string) => ({ $dateToString: { format: "%Y-%m-%d", date: `$${field}`, timezone } });
  const [out] = await items
    .aggregate<{
      matched: { n: number }[];
      volume: { _id: { day: string; channel: string }; n: number }[];
      fcr: { _id: { day: string; channel: string }; n: number; fcr: number }[];
    }>([
      { $match: { workspace, kind: "ticket", $or: [{ createdAt: inRange }, { resolvedAt: inRange }] } },
      {
        $facet: {
          matched: [{ $count: "n" }],
          volume: [
            { $match: { createdAt: inRange } },
            { $group: { _id: { day: dayOf("createdAt"), channel: "$channel" }, n: { $sum: 1 } } },
          ],
          fcr: [
            { $match: { status: { $in: ["solved", "closed"] }, resolvedAt: inRange } },
            {
              $group: {
                _id: { day: dayOf("resolvedAt"), channel: "$channel" },
                n: { $sum: 1 },
                fcr: {
                  $sum: {
                    $cond: [
                      { $and: [{ $lte: [{ $ifNull: ["$agentReplies", 0] }, 1] }, { $eq: [{ $ifNull: ["$reopens", 0] }, 0] }] },
                      1,
                      0,
                    ],
                  },
                },
              },
            },
          ],
        },
      },
    ])
    .toArray();
  return {
    matched: out?.matched[0]?.n ?? 0,
    volume: new Map((out?.volume ?? []).map((g) => [`${g._id.day}|${g._id.channel}`, g.n])),
    fcr: new Map((out?.fcr ?? []).map((g) => [`${g._id.day}|${g._id.channel}`, { n: g.n, fcr: g.fcr }])),
  };
}

/**
 * The same counts from a cursor over the raw items ($match + projection on the server, grouping
 * in JS). Used on the in-memory stand-in, whose mingo evaluates `$dateToString` with an IANA
 * `timezone` through two `toLocaleString` calls per date (~0.1 ms each: minutes per million items).
 * Every matched item still crosses the wire, so documents read are the same as the pipeline's.
 */
export async function rawCountsByCursor(items: Collection<ItemDoc>, workspace: string, from: Date, to: Date, tz: string): Promise<RawCounts> {
  const inRange = { $gte: from, $lt: to };
  const dayOf = cachedLocalDayOf(tz);
  const out: RawCounts = { matched: 0, volume: new Map(), fcr: new Map() };
  const cursor = items.find<Pick<TicketDoc, "channel" | "status" | "createdAt" | "resolvedAt" | "agentReplies" | "reopens">>(
    { workspace, kind: "ticket", $or: [{ createdAt: inRange }, { resolvedAt: inRange }] },
    { projection: { _id: 0, channel: 1, status: 1, createdAt: 1, resolvedAt: 1, agentReplies: 1, reopens: 1 }, batchSize: 10_000 },
  );
  const lo = from.getTime();
  const hi = to.getTime();
  for await (const d of cursor) {
    out.matched++;
    const created = d.createdAt.getTime();
    if (created >= lo && created < hi) {
      const k = `${dayOf(created)}|${d.channel}`;
      out.volume.set(k, (out.volume.get(k) ?? 0) + 1);
    }
    const resolved = d.resolvedAt instanceof Date ? d.resolvedAt.getTime() : NaN;
    if ((d.status === "solved" || d.status === "closed") && resolved >= lo && resolved < hi) {
      const k = `${dayOf(resolved)}|${d.channel}`;
      const c = out.fcr.get(k) ?? { n: 0, fcr: 0 };
      c.n++;
      if ((d.agentReplies ?? 0) <= 1 && (d.reopens ?? 0) === 0) c.fcr++;
      out.fcr.set(k, c);
    }
  }
  return out;
}

/** Local day in `tz` of an instant (ms), memoised per UTC quarter hour (every zone's offset is a multiple of 15 min). */
function cachedLocalDayOf(tz: string): (ms: number) => string {
  const f = localDayOf(tz);
  const cache = new Map<number, string>();
  return (ms) => {
    const q = Math.floor(ms / 900_000);
    let day = cache.get(q);
    if (day === undefined) cache.set(q, (day = f(new Date(q * 900_000))));
    return day;
  };
}

/** The local calendar day of an instant in `tz`, "YYYY-MM-DD". */
export function localDayOf(tz: string): (d: Date) => string {
  const f = new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" });
  return (d) => f.format(d);
}

export interface Comparison {
  ok: boolean;
  /** the first few differences, for the report */
  mismatches: string[];
  /** (day, channel) cells compared (union of both sides) */
  cells: number;
  totals: { volume: number; resolved: number; oneTouch: number };
}

/** Compares the rollup answers (grouped by channel, interval day) with the raw counts, cell by cell. */
export function compare(volume: TrendResponse, fcr: TrendResponse, raw: RawCounts, tz: string): Comparison {
  const dayOf = localDayOf(tz);
  const mismatches: string[] = [];
  const note = (s: string) => {
    if (mismatches.length < 10) mismatches.push(s);
  };
  const seenVol = new Set<string>();
  const seenFcr = new Set<string>();
  const totals = { volume: 0, resolved: 0, oneTouch: 0 };
  for (const g of volume.groups) {
    for (const p of g.points) {
      const key = `${dayOf(new Date(p.start))}|${g.key.channel}`;
      seenVol.add(key);
      const want = raw.volume.get(key) ?? 0;
      totals.volume += p.value ?? 0;
      if ((p.value ?? 0) !== want) note(`volume ${key}: rollups ${p.value}, raw ${want}`);
    }
  }
  for (const g of fcr.groups) {
    for (const p of g.points) {
      const key = `${dayOf(new Date(p.start))}|${g.key.channel}`;
      seenFcr.add(key);
      const want = raw.fcr.get(key) ?? { n: 0, fcr: 0 };
      const oneTouch = p.parts.oneTouch ?? 0;
      totals.resolved += p.n;
      totals.oneTouch += oneTouch;
      if (p.n !== want.n || oneTouch !== want.fcr) note(`fcr ${key}: rollups ${oneTouch}/${p.n}, raw ${want.fcr}/${want.n}`);
    }
  }
  for (const [k, n] of raw.volume) if (!seenVol.has(k) && n !== 0) note(`volume ${k}: missing from rollups, raw ${n}`);
  for (const [k, c] of raw.fcr) if (!seenFcr.has(k) && c.n !== 0) note(`fcr ${k}: missing from rollups, raw ${c.fcr}/${c.n}`);
  return { ok: mismatches.length === 0, mismatches, cells: new Set([...seenVol, ...raw.volume.keys()]).size, totals };
}
