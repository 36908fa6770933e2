import { describe, expect, it } from "vitest";
import { contributionsOf, withCuts } from "../../../shared/domain/metrics/contributions-of";
import { sketchBinOf } from "../../../shared/domain/stats/sketch";
import { mention, survey, ticket } from "./fixtures";

/** One family's contributions of one tag (null = untagged) in one cut (default the full tuple "*"). */
const byFamily = (cs: ReturnType<typeof contributionsOf>, family: string, tag: string | null = null, cut = "*") =>
  cs.filter((c) => c.family === family && c.tag === tag && c.cut === cut);
const fullTuple = (cs: ReturnType<typeof contributionsOf>) => cs.filter((c) => c.cut === "*");

describe("contributionsOf a ticket", () => {
  it("adds tickets_created at createdAt with the ticket's dimensions", () => {
    const cs = contributionsOf(
      ticket({ team: "tier2", customer: { segment: "enterprise", plan: "pro", region: "EU" }, language: "nl" }),
    );
    expect(fullTuple(cs)).toEqual([
      {
        family: "tickets_created",
        day: "2026-03-02",
        hour: 9,
        fine: 111, // 09:15 UTC: 5-minute slot 9 × 12 + 3
        cut: "*",
        dims: { kind: "ticket", language: "nl", segment: "enterprise", plan: "pro", region: "EU", channel: "email", source: "zendesk", team: "tier2" },
        tag: null,
        m: { n: 1 },
      },
    ]);
  });

  it("adds a solved ticket to tickets_resolved at resolvedAt with resolution seconds and its sketch bin", () => {
    const t = ticket({
      status: "solved",
      agentReplies: 1,
      resolvedAt: new Date("2026-03-03T10:15:00.400Z"), // 25 h = 90_000 s (rounded)
      firstResponseAt: new Date("2026-03-02T09:45:00Z"), // 1_800 s
      handleTimeSec: 612.4,
    });
    const cs = contributionsOf(t);
    expect(byFamily(cs, "tickets_resolved")).toEqual([
      expect.objectContaining({
        day: "2026-03-03",
        hour: 10,
        m: { n: 1, fcr: 1, sum: 90_000, sumSq: 8_100_000_000, [sketchBinOf(90_000)]: 1, hn: 1, hsum: 612, hsumSq: 374_544 },
      }),
    ]);
    expect(byFamily(cs, "first_response")).toEqual([
      expect.objectContaining({ day: "2026-03-02", hour: 9, m: { n: 1, sum: 1_800, sumSq: 3_240_000, [sketchBinOf(1_800)]: 1 } }),
    ]);
  });

  // FCR (Zendesk one-touch): resolved with agentReplies <= 1 and reopens = 0.
  it.each([
    // status, agentReplies, reopens, fcr, reopened, resolved?
    ["solved", 0, 0, 1, 0, true],
    ["solved", 1, 0, 1, 0, true],
    ["closed", 2, 0, 0, 0, true],
    ["solved", 1, 1, 0, 1, true],
    ["closed", 5, 3, 0, 1, true],
    ["open", 1, 0, 0, 0, false],
    ["pending", 0, 1, 0, 0, false],
  ] as const)("status %s, %d replies, %d reopens → fcr %d, reopened %d", (status, agentReplies, reopens, fcr, reopened, resolved) => {
    const resolvedAt = new Date("2026-03-02T12:00:00Z");
    const r = byFamily(contributionsOf(ticket({ status, agentReplies, reopens, resolvedAt })), "tickets_resolved");
    expect(r).toHaveLength(resolved ? 1 : 0);
    if (resolved) {
      expect(r[0]!.m.fcr ?? 0).toBe(fcr);
      expect(r[0]!.m.reopened ?? 0).toBe(reopened);
      expect(r[0]!.m.n).toBe(1);
    }
  });

  it("does not count a solved status without resolvedAt, nor handle time when absent", () => {
    const cs = contributionsOf(ticket({ status: "solved" }));
    expect(byFamily(cs, "tickets_resolved")).toEqual([]);
    const r = byFamily(contributionsOf(ticket({ status: "solved", resolvedAt: new Date("2026-03-02T09:15:00Z") })), "tickets_resolved");
    expect(r[0]!.m).toEqual({ n: 1, fcr: 1, qz: 1 }); // zero seconds: sum 0 dropped, zero bin
  });

  it("adds one untagged copy and one copy per distinct tag, for every family", () => {
    const cs = contributionsOf(
      ticket({ tags: ["billing", "refund", "billing"], status: "solved", resolvedAt: new Date("2026-03-02T12:00:00Z") }),
    );
    expect(fullTuple(cs).map((c) => `${c.family}:${c.tag}`)).toEqual([
      "tickets_created:null", "tickets_created:billing", "tickets_created:refund",
      "tickets_resolved:null", "tickets_resolved:billing", "tickets_resolved:refund",
    ]);
  });

  it("takes language and sentiment from the enrichment and adds the sentiment family at createdAt", () => {
    const cs = contributionsOf(
      ticket({ language: "en", enrichment: { language: "nl", sentiment: { label: "negative", score: -0.4321 } } }),
    );
    expect(cs[0]!.dims).toMatchObject({ language: "nl", sentiment: "negative" });
    expect(byFamily(cs, "sentiment")).toEqual([
      expect.objectContaining({ day: "2026-03-02", hour: 9, m: { n: 1, neg: 1, sum: -4321, sumSq: 18_671_041 } }),
    ]);
  });

  it("adds no sentiment when the enrichment has none", () => {
    expect(byFamily(contributionsOf(ticket({ enrichment: { language: "xx", sentiment: null } })), "sentiment")).toEqual([]);
  });

  it("rejects a duration that would be negative", () => {
    expect(() =>
      contributionsOf(ticket({ status: "solved", resolvedAt: new Date("2026-03-01T00:00:00Z") })),
    ).toThrow(/resolvedAt is before createdAt/);
  });
});

describe("the 5-minute cut", () => {
  it("copies each untagged contribution into its 5-minute slot with only kind and surveyKind", () => {
    const cs = contributionsOf(ticket({ tags: ["billing"], createdAt: new Date("2026-03-02T23:59:59Z") }));
    expect(cs.filter((c) => c.cut === "5m")).toEqual([
      expect.objectContaining({ family: "tickets_created", day: "2026-03-02", hour: 287, dims: { kind: "ticket" }, tag: null, m: { n: 1 } }),
    ]);
    const s = contributionsOf(survey({ surveyKind: "nps", score: 3 })).filter((c) => c.cut === "5m");
    expect(s.map((c) => [c.hour, c.dims])).toEqual([[132, { kind: "survey", surveyKind: "nps" }]]);
  });

  it("is not derived from contributions recorded without their slot (so old records never subtract from it)", () => {
    const [full] = contributionsOf(ticket({})).filter((c) => c.cut === "*");
    const { fine: _fine, ...recordedBefore } = full!;
    expect(withCuts([recordedBefore]).map((c) => c.cut)).not.toContain("5m");
    expect(withCuts([full!]).map((c) => c.cut)).toContain("5m");
  });
});

describe("contributionsOf a mention", () => {
  it.each([
    [{ handle: "a", followers: 120 }, 120],
    [{ handle: "b" }, 0],
    [null, 0],
  ])("author %j → reach %d", (author, reach) => {
    const [c] = contributionsOf(mention({ author }));
    expect(c).toEqual({
      family: "mentions",
      day: "2026-03-02",
      hour: 10,
      fine: 121,
      cut: "*",
      dims: { kind: "mention", platform: "twitter" },
      tag: null,
      m: reach > 0 ? { n: 1, reach } : { n: 1 },
    });
  });

  it("adds sentiment at postedAt", () => {
    const cs = fullTuple(contributionsOf(mention({ enrichment: { language: "en", sentiment: { label: "positive", score: 0.5 } } })));
    expect(cs.map((c) => c.family)).toEqual(["mentions", "sentiment"]);
    expect(cs[1]!.m).toEqual({ n: 1, pos: 1, sum: 5000, sumSq: 25_000_000 });
    expect(cs[1]!.dims).toMatchObject({ kind: "mention", platform: "twitter", language: "en", sentiment: "positive" });
  });
});

describe("contributionsOf a survey answer", () => {
  it.each([
    // kind, score, scale, measures (sum in fixed point: nps ×1, csat ninths of 1-5, ces halves of 1-7)
    ["nps", 10, 10, { n: 1, promoters: 1, sum: 10, sumSq: 100 }],
    ["nps", 9, undefined, { n: 1, promoters: 1, sum: 9, sumSq: 81 }],
    ["nps", 8, 10, { n: 1, passives: 1, sum: 8, sumSq: 64 }],
    ["nps", 7, 10, { n: 1, passives: 1, sum: 7, sumSq: 49 }],
    ["nps", 6, 10, { n: 1, detractors: 1, sum: 6, sumSq: 36 }],
    ["nps", 0, 10, { n: 1, detractors: 1 }],
    ["csat", 4, 5, { n: 1, satisfied: 1, sum: 36, sumSq: 1296 }],
    ["csat", 3, undefined, { n: 1, sum: 27, sumSq: 729 }],
    ["csat", 8, 10, { n: 1, satisfied: 1, sum: 37, sumSq: 1369 }], // 1 + 7·4/9 = 4.111 = 37/9
    ["csat", 7, 10, { n: 1, sum: 33, sumSq: 1089 }],
    ["csat", 10, 10, { n: 1, satisfied: 1, sum: 45, sumSq: 2025 }], // 5 on 1-5
    ["ces", 5, 7, { n: 1, lowEffort: 1, sum: 10, sumSq: 100 }],
    ["ces", 4, undefined, { n: 1, sum: 8, sumSq: 64 }],
    ["ces", 4, 5, { n: 1, lowEffort: 1, sum: 11, sumSq: 121 }], // 1 + 3·6/4 = 5.5 on 1-7
    ["ces", 3, 5, { n: 1, sum: 8, sumSq: 64 }], // 4 on 1-7
    ["ces", 5, 5, { n: 1, lowEffort: 1, sum: 14, sumSq: 196 }], // 7 on 1-7
  ] as const)("%s %d on scale %s", (surveyKind, score, scale, m) => {
    const cs = contributionsOf(survey({ surveyKind, score, scale, touchpoint: "support", channel: "chat", customer: { plan: "pro" } }));
    expect(fullTuple(cs)).toEqual([
      {
        family: "surveys",
        day: "2026-03-02",
        hour: 11,
        fine: 132,
        cut: "*",
        dims: { kind: "survey", plan: "pro", surveyKind, source: "api", channel: "chat", touchpoint: "support" },
        tag: null,
        m,
      },
    ]);
  });
});
