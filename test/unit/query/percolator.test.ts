import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileMatcher, makePercolator, parseQuery } from "../../../shared/domain/query/index";
import { bilingualNormalize, exclusionArb, fakeNormalize, itemArb, itemOf, queryArb } from "./query-arbitraries";

/** random searches, one in five only exclusions */
const searchArb = fc.oneof({ arbitrary: queryArb, weight: 4 }, { arbitrary: exclusionArb, weight: 1 });

const sorted = (ids: string[]) => [...ids].sort();

describe("makePercolator", () => {
  const searches: Record<string, string> = {
    refund: "refunds",
    waiting: '"still waiting" NOT "thank you"',
    login: "login NEAR/2 error",
    cancel: "cancel* kind:ticket",
    either: "hotel OR refund",
    emailOnly: "channel:email",
    notHotel: "NOT hotel",
    lowScore: "score:<7",
    never: "refund hotel",
  };
  const make = () => {
    const p = makePercolator<{ name: string }>(fakeNormalize);
    for (const [id, q] of Object.entries(searches)) p.add(id, parseQuery(q), { name: id });
    return p;
  };

  it("matches new items against every search", () => {
    const p = make();
    const item = itemOf("still waiting for my refund after cancellation", {
      facets: { kind: "ticket", channel: "email", tag: [] },
    });
    expect(sorted(p.match(item))).toEqual(["cancel", "either", "emailOnly", "notHotel", "refund", "waiting"]);
    expect(sorted(p.match(itemOf("login failed error")))).toEqual(["login", "notHotel"]);
    // only the anchored candidates and the always-checked searches (notHotel, lowScore) are verified
    expect(p.lastCandidateCount).toBe(3);
    expect(sorted(p.match(itemOf("bad", { kind: "survey", score: 3, facets: { kind: "survey", tag: [] } })))).toEqual(["lowScore", "notHotel"]);
    expect(p.size).toBe(Object.keys(searches).length);
    expect(p.meta("refund")).toEqual({ name: "refund" });
  });

  it("adds, replaces and removes searches incrementally", () => {
    const p = make();
    const item = itemOf("refund hotel");
    expect(sorted(p.match(item))).toEqual(["either", "never", "refund"]);
    expect(p.remove("never")).toBe(true);
    expect(p.remove("never")).toBe(false);
    expect(p.has("never")).toBe(false);
    expect(sorted(p.match(item))).toEqual(["either", "refund"]);
    p.add("refund", parseQuery("flight"));
    expect(sorted(p.match(item))).toEqual(["either"]);
    expect(p.meta("refund")).toBeUndefined();
    p.add("hotel", parseQuery("hotel*"));
    expect(sorted(p.match(item))).toEqual(["either", "hotel"]);
    for (const id of Object.keys(searches)) p.remove(id);
    p.remove("hotel");
    expect(p.size).toBe(0);
    expect(p.match(item)).toEqual([]);
  });

  it("indexes searches for a language when its first item arrives, and keeps later changes in every language", () => {
    const p = makePercolator(bilingualNormalize, { languages: ["en"] });
    p.add("wait", parseQuery("wachten"));
    const nl = { ...itemOf("x"), enrichment: { language: "nl", tokens: ["wacht"], terms: ["wacht"] } };
    const en = { ...itemOf("x"), enrichment: { language: "en", tokens: ["wachten"], terms: ["wachten"] } };
    expect(p.match(nl)).toEqual(["wait"]);
    expect(p.match(en)).toEqual(["wait"]);
    p.remove("wait");
    expect(p.match({ ...nl })).toEqual([]);
    expect(p.match({ ...en })).toEqual([]);
  });

  it("gives stop words (no term) no anchor: always checked, or anchored by another clause; they count in phrases and NEAR", () => {
    const p = makePercolator(fakeNormalize);
    p.add("the", parseQuery("the"));
    p.add("notForThe", parseQuery('NOT "for the"'));
    p.add("theRefund", parseQuery("the AND refund"));
    p.add("thankYou", parseQuery('"thank you"'));
    p.add("nearYou", parseQuery("you NEAR/1 refund"));
    p.add("waiting", parseQuery('"waiting for the refund"'));
    expect(sorted(p.match(itemOf("login error")))).toEqual(["notForThe", "the"]);
    expect(p.lastCandidateCount).toBe(2); // only the always-check list: "the" and NOT "for the"
    expect(sorted(p.match(itemOf("thank you")))).toEqual(["notForThe", "thankYou", "the"]);
    expect(sorted(p.match(itemOf("you thank")))).toEqual(["notForThe", "the"]);
    expect(sorted(p.match(itemOf("still waiting for the refund")))).toEqual(["the", "theRefund", "waiting"]);
    expect(sorted(p.match(itemOf("still waiting for refund")))).toEqual(["notForThe", "the", "theRefund"]);
    expect(sorted(p.match(itemOf("thank you for the refund")))).toEqual(["thankYou", "the", "theRefund"]);
    expect(sorted(p.match(itemOf("thank you refund")))).toEqual(["nearYou", "notForThe", "thankYou", "the", "theRefund"]);
    expect(sorted(p.match(itemOf("")))).toEqual(["notForThe", "the"]);
  });

  it("finds hashtags by their word, hashtag queries only at hashtags, handles, and ordered NEAR", () => {
    const p = makePercolator(fakeNormalize);
    p.add("refund", parseQuery("refunds"));
    p.add("tag", parseQuery("#refund"));
    p.add("united", parseQuery("@United"));
    p.add("wantRefund", parseQuery('"want refund"'));
    p.add("ordered", parseQuery("want NEAR/1f refund"));
    expect(sorted(p.match(itemOf("want #REFUNDS")))).toEqual(["ordered", "refund", "wantRefund"]);
    expect(sorted(p.match(itemOf("want a #refund @united")))).toEqual(["ordered", "refund", "tag", "united"]);
    expect(sorted(p.match(itemOf("refund want")))).toEqual(["refund"]);
    expect(sorted(p.match(itemOf("#RefundNow united")))).toEqual([]);
  });

  it("verifies exclusion-only searches (`-hotel -refund`) only when an item has an excluded stem, prefix or value", () => {
    const p = makePercolator(fakeNormalize);
    p.add("noHotelNoRefund", parseQuery("-hotel -refunds"));
    p.add("notTickets", parseQuery("NOT kind:ticket"));
    p.add("noCancel", parseQuery("-cancel*"));
    p.add("refund", parseQuery("refund"));
    const mention = (text: string) => itemOf(text, { kind: "mention", facets: { kind: "mention", tag: [] } });
    expect(sorted(p.match(mention("login error")))).toEqual(["noCancel", "noHotelNoRefund", "notTickets"]);
    expect(p.lastCandidateCount).toBe(3);
    expect(sorted(p.match(mention("refund for the hotel")))).toEqual(["noCancel", "notTickets", "refund"]);
    expect(sorted(p.match(itemOf("cancellation")))).toEqual(["noHotelNoRefund"]);
    // a slot freed and reused by a search of another shape leaves no veto behind
    p.remove("noHotelNoRefund");
    p.add("hotel", parseQuery("hotel"));
    expect(sorted(p.match(mention("hotel")))).toEqual(["hotel", "noCancel", "notTickets"]);
    p.add("hotel", parseQuery("-login"));
    expect(sorted(p.match(mention("hotel")))).toEqual(["hotel", "noCancel", "notTickets"]);
    expect(sorted(p.match(mention("login")))).toEqual(["noCancel", "notTickets"]);
  });

  it("uses document frequencies when given", () => {
    const df = new Map([["refund", 0.5], ["late", 0.001]]);
    const p = makePercolator(fakeNormalize, { termFrequency: (s) => df.get(s) ?? 0.01 });
    p.add("q", parseQuery("refund late"));
    expect(p.match(itemOf("refund late"))).toEqual(["q"]);
    expect(p.match(itemOf("refund"))).toEqual([]);
  });

  it("stays equal to brute force through heavy churn (reused slots, records spliced out of postings, a language indexed late)", () => {
    const queries = fc.sample(searchArb, { numRuns: 600, seed: 7 });
    const items = fc.sample(itemArb, { numRuns: 200, seed: 8 });
    const p = makePercolator(bilingualNormalize, { languages: ["en"] });
    for (let round = 0; round < 12; round++) {
      queries.forEach((q, i) => {
        if ((i + round) % 4 === 0) p.remove(`s${i % 150}`);
        else p.add(`s${i % 150}`, q);
      });
    }
    expect(p.size).toBeGreaterThan(0);
    for (const item of items) expect(sorted(p.match(item))).toEqual(sorted(p.matchBruteForce(item)));
  });

  it("equals brute-force evaluation of every search, through adds and removes (property)", () => {
    const op = fc.oneof(
      fc.record({ type: fc.constant("add" as const), id: fc.integer({ min: 0, max: 15 }), ast: searchArb }),
      fc.record({ type: fc.constant("remove" as const), id: fc.integer({ min: 0, max: 15 }) }),
      fc.record({ type: fc.constant("match" as const), item: itemArb }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
        const p = makePercolator(bilingualNormalize);
        const live = new Map<string, ReturnType<typeof compileMatcher>>();
        for (const o of ops) {
          if (o.type === "add") {
            p.add(String(o.id), o.ast);
            live.set(String(o.id), compileMatcher(o.ast, bilingualNormalize));
          } else if (o.type === "remove") {
            expect(p.remove(String(o.id))).toBe(live.delete(String(o.id)));
          } else {
            const expected = [...live].filter(([, m]) => m(o.item).matched).map(([id]) => id);
            expect(sorted(p.match(o.item))).toEqual(sorted(expected));
            expect(sorted(p.matchBruteForce(o.item))).toEqual(sorted(expected));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
