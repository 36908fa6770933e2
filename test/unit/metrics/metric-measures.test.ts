import { describe, expect, it } from "vitest";
import {
  contributionsOf,
  METRIC_MEASURES,
  METRIC_NAMES,
  rollupDocsOf,
  trendOf,
  type Measures,
  type RollupDoc,
  type RollupItem,
} from "../../../shared/domain/metrics";
import { mention, survey, ticket } from "./fixtures";

const H = 3_600_000;
const t0 = Date.parse("2026-03-02T00:00:00Z");
const at = (h: number) => new Date(t0 + h * H);

// A mixed set of items over two weeks: every family gets data in both periods.
const items: RollupItem[] = [];
for (let i = 0; i < 60; i++) {
  const created = at(i * 5);
  items.push(
    ticket({
      channel: ["email", "chat", "phone"][i % 3]!,
      status: i % 4 === 0 ? "open" : "solved",
      createdAt: created,
      firstResponseAt: new Date(created.getTime() + ((i % 7) + 1) * 600_000),
      resolvedAt: i % 4 === 0 ? undefined : new Date(created.getTime() + ((i % 5) + 1) * H),
      agentReplies: i % 3,
      reopens: i % 6 === 0 ? 1 : 0,
      handleTimeSec: i % 2 ? 300 + i : undefined,
      enrichment: { language: "en", sentiment: { label: (["negative", "neutral", "positive"] as const)[i % 3]!, score: (i % 3) - 1 } },
    }),
    mention({ platform: "twitter", postedAt: created, author: { followers: i * 10 } }),
    survey({ surveyKind: "nps", score: i % 11, respondedAt: created }),
    survey({ surveyKind: "csat", score: (i % 5) + 1, respondedAt: created }),
    survey({ surveyKind: "ces", score: (i % 7) + 1, respondedAt: created }),
  );
}
const full: RollupDoc[] = [...rollupDocsOf("w", "all", items.flatMap((x) => contributionsOf(x))).values()];

/** What a MongoDB projection onto `h.<hour>.<measure>` and `d.<measure>` for these measures returns. */
function project(docs: RollupDoc[], measures: readonly string[]): RollupDoc[] {
  const only = (m: Measures) => Object.fromEntries(measures.filter((k) => k in m).map((k) => [k, m[k]!]));
  return docs.map((d) => ({
    ...d,
    h: Object.fromEntries(Object.entries(d.h).map(([hour, m]) => [hour, only(m)])),
    ...(d.d ? { d: only(d.d) } : {}),
  }));
}

describe("METRIC_MEASURES", () => {
  const opts = { from: at(7 * 24), to: at(14 * 24), interval: "day" as const, tz: "Europe/Amsterdam", groupBy: [] };
  it.each(METRIC_NAMES.filter((m) => METRIC_MEASURES[m] !== null))("%s reads only its listed measures", (metric) => {
    const measures = METRIC_MEASURES[metric]!;
    const expected = trendOf(metric, full, opts);
    expect(expected.groups[0]!.total.n).toBeGreaterThan(0); // the check would be empty otherwise
    expect(trendOf(metric, project(full, measures), opts)).toEqual({
      ...expected,
      groups: expected.groups.map((g) => ({
        ...g,
        totalMeasures: Object.fromEntries(Object.entries(g.totalMeasures).filter(([k]) => measures.includes(k))),
      })),
    });
  });
});
