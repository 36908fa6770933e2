/**
 * Synthetic but plausible support data for demos, screenshots and the dashboard benchmark:
 * tickets (channels, segments, response and resolution times, replies, reopens), mentions
 * (platforms, followers) and survey answers, spread over `days` up to `end`, with a weekly cycle
 * and an outage in the last week (a spike of "login error" tickets and angry mentions), and the
 * customers they come from: some cancel, and those contact support more often, see more reopened
 * tickets and answer surveys lower (so churn drivers have something to find). Seeded: the same
 * arguments give the same items.
 */
import { seededRandom } from "./seeded-random";

const CHANNELS = [["email", 5], ["chat", 3], ["phone", 2], ["social", 1], ["web", 1]] as const;
const SEGMENTS = [["smb", 5], ["mid-market", 3], ["enterprise", 2]] as const;
const PLATFORMS = [["twitter", 6], ["reddit", 2], ["app-store", 1], ["review-site", 1]] as const;
const TOPICS = [
  { subject: "Refund not received", body: "I am still waiting for my refund after two weeks.", tags: ["billing", "refund"] },
  { subject: "Cannot change my plan", body: "The upgrade button does nothing, please help me change plan.", tags: ["billing"] },
  { subject: "Invoice question", body: "My invoice shows a charge I do not recognise.", tags: ["billing"] },
  { subject: "App crashes on start", body: "Since the update the app crashes every time I open it.", tags: ["bug", "mobile"] },
  { subject: "Export to CSV", body: "How can I export my reports to CSV?", tags: ["how-to"] },
  { subject: "Delivery is late", body: "My order is late and tracking has not moved.", tags: ["shipping"] },
  { subject: "Password reset email", body: "The password reset email never arrives.", tags: ["account"] },
];
const OUTAGE = { subject: "Login error", body: "Login fails with an error page, I cannot sign in at all.", tags: ["bug", "login"] };
const MENTIONS = [
  "Loving the new dashboard from @acme, so much faster",
  "@acme support sorted my billing issue in minutes, thank you",
  "Still waiting for my refund from @acme. Terrible service",
  "Does anyone know how to export reports in acme?",
  "@acme the app keeps crashing on my phone",
  "Great experience with the acme team today",
  "acme delivery late again, third time this month",
];
const OUTAGE_MENTIONS = ["@acme login is broken, error every time", "Is acme down? cannot sign in, login error", "acme outage again?? login fails"];

function pick<T>(r: () => number, table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((a, [, w]) => a + w, 0);
  let x = r() * total;
  for (const [v, w] of table) if ((x -= w) < 0) return v;
  return table[table.length - 1]![0];
}

export interface DemoItems {
  customers: Record<string, unknown>[];
  tickets: Record<string, unknown>[];
  mentions: Record<string, unknown>[];
  surveys: Record<string, unknown>[];
}

const REGIONS = [["emea", 4], ["americas", 4], ["apac", 2]] as const;

interface DemoCustomer {
  externalId: string;
  segment: string;
  plan: string;
  started: number;
  cancelled: number | null;
}

export function demoItems(opts: { tickets: number; mentions: number; surveys: number; days: number; end: Date; seed?: number; customers?: number }): DemoItems {
  const r = seededRandom(opts.seed ?? 42);
  const endMs = opts.end.getTime() - 3_600_000;
  const span = opts.days * 86_400_000;
  /** a time in the span, weekdays twice as busy as weekends; `recent` puts it in the last week */
  const when = (recent = false): number => {
    for (;;) {
      const t = endMs - (recent ? r() * 7 * 86_400_000 : r() * span);
      const day = new Date(t).getUTCDay();
      if (day !== 0 && day !== 6 ? true : r() < 0.5) return t;
    }
  };
  const iso = (ms: number) => new Date(Math.min(ms, endMs)).toISOString();
  const customers: Record<string, unknown>[] = [];
  const who: DemoCustomer[] = [];
  const nCustomers = opts.customers ?? Math.max(50, Math.round(opts.tickets / 3));
  for (let i = 0; i < nCustomers; i++) {
    const started = endMs - r() * (span + 365 * 86_400_000);
    // about one in six cancels, most of them within the span or a little before
    const cancelAt = endMs - r() * span * 1.2;
    const cancelled = r() < 0.16 && cancelAt > started ? cancelAt : null;
    const c = { externalId: `c${i}`, segment: pick(r, SEGMENTS), plan: r() < 0.3 ? "pro" : "basic", started, cancelled };
    who.push(c);
    customers.push({
      externalId: c.externalId, segment: c.segment, plan: c.plan, region: pick(r, REGIONS),
      startedAt: iso(started), cancelledAt: cancelled === null ? null : iso(cancelled), monthlyRevenue: c.plan === "pro" ? 99 : 29,
    });
  }
  // customers who will cancel contact support three times as often while they are customers
  const weighted: DemoCustomer[] = who.flatMap((c) => (c.cancelled !== null ? [c, c, c] : [c]));
  const activeAt = (c: DemoCustomer, t: number) => c.started <= t && (c.cancelled === null || t < c.cancelled);
  const someone = (t: number): DemoCustomer => {
    for (let tries = 0; tries < 50; tries++) {
      const c = weighted[Math.floor(r() * weighted.length)]!;
      if (activeAt(c, t)) return c;
    }
    return who.find((c) => activeAt(c, t)) ?? who[0]!;
  };
  const tickets: Record<string, unknown>[] = [];
  for (let i = 0; i < opts.tickets; i++) {
    const outage = r() < 0.04;
    const created = when(outage);
    const topic = outage ? OUTAGE : TOPICS[Math.floor(r() * TOPICS.length)]!;
    const channel = pick(r, CHANNELS);
    const firstResponse = created + (channel === "chat" ? 2 : 30 + r() * 600) * 60_000 * (outage ? 3 : 1);
    const resolvedMs = firstResponse + r() * r() * 3 * 86_400_000;
    const resolved = resolvedMs < endMs && r() < 0.85;
    const replies = r() < 0.55 ? 1 : 1 + Math.floor(r() * 5);
    const customer = someone(created);
    const churns = customer.cancelled !== null;
    tickets.push({
      source: "api", externalId: `demo-t${i}`, channel, subject: topic.subject, body: topic.body, tags: topic.tags,
      status: resolved ? "solved" : "open", createdAt: iso(created), updatedAt: iso(resolved ? resolvedMs : firstResponse < endMs ? firstResponse : created),
      ...(firstResponse < endMs ? { firstResponseAt: iso(firstResponse) } : {}),
      ...(resolved ? { resolvedAt: iso(resolvedMs), agentReplies: replies, reopens: r() < (churns ? 0.2 : 0.07) ? 1 : 0 } : { agentReplies: firstResponse < endMs ? 1 : 0 }),
      customer: { id: customer.externalId, segment: customer.segment, plan: customer.plan },
    });
  }
  const mentions: Record<string, unknown>[] = [];
  for (let i = 0; i < opts.mentions; i++) {
    const outage = r() < 0.05;
    const texts = outage ? OUTAGE_MENTIONS : MENTIONS;
    mentions.push({
      platform: pick(r, PLATFORMS), externalId: `demo-m${i}`, text: texts[Math.floor(r() * texts.length)],
      postedAt: iso(when(outage)), author: { handle: `user${Math.floor(r() * 20_000)}`, followers: Math.floor(r() * r() * 50_000) },
    });
  }
  const surveys: Record<string, unknown>[] = [];
  for (let i = 0; i < opts.surveys; i++) {
    const kind = r() < 0.5 ? "nps" : r() < 0.6 ? "csat" : "ces";
    const respondedAt = when();
    const customer = someone(respondedAt);
    const low = customer.cancelled !== null ? 0.6 : 1;
    const score = kind === "nps" ? Math.min(10, Math.floor(r() * 4 + r() * 8 * low)) : kind === "csat" ? 1 + Math.floor(r() * 4.6 * low) : 1 + Math.floor(r() * 6.9);
    surveys.push({
      kind, externalId: `demo-s${i}`, score, respondedAt: iso(respondedAt),
      ...(r() < 0.4 ? { comment: score >= (kind === "nps" ? 9 : 4) ? "Quick and friendly help" : "Took too long to get an answer" } : {}),
      customer: { id: customer.externalId, segment: customer.segment },
    });
  }
  return { customers, tickets, mentions, surveys };
}
