import fc from "fast-check";
import { Query } from "mingo";
import { describe, expect, it } from "vitest";
import {
  compileMatcher, compileMongoFilter, filterIsExact, parseQuery, type MatchableItem, type MongoFilter,
} from "../../../shared/domain/query/index";
import { bilingualNormalize, fakeNormalize, itemArb, itemOf, LANGUAGES, queryArb } from "./query-arbitraries";

/** Evaluates a MongoDB filter in memory (mingo implements MongoDB's query semantics). */
function matchesFilter(filter: MongoFilter, item: MatchableItem): boolean {
  return new Query(filter).test(item as unknown as Record<string, unknown>);
}

const filterOf = (q: string, languages = ["en"]) => compileMongoFilter(parseQuery(q), fakeNormalize, languages);

/** Every key in the filter: operators and field paths. */
function keysOf(x: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(x)) x.forEach((e) => keysOf(e, out));
  else if (x && typeof x === "object") {
    for (const [k, v] of Object.entries(x)) {
      out.add(k);
      keysOf(v, out);
    }
  }
  return out;
}
const ALLOWED_KEYS = new Set([
  "$and", "$or", "$nor", "$in", "$all", "$elemMatch", "$gte", "$lt", "$lte", "$gt",
  "enrichment.terms", "enrichment.language", "kind", "score", "_id",
  ...["channel", "source", "platform", "tag", "team", "segment", "plan", "region", "lang", "sentiment"].map((f) => `facets.${f}`),
]);

describe("compileMongoFilter: shapes", () => {
  it.each<[string, MongoFilter]>([
    ["refunds", { "enrichment.terms": "refund" }],
    ['"still waiting"', { "enrichment.terms": { $all: ["still", "waiting"] } }],
    ['"refunds"', { "enrichment.terms": "refund" }],
    ["login NEAR/3 error", { "enrichment.terms": { $all: ["login", "error"] } }],
    ["cancel*", { "enrichment.terms": { $elemMatch: { $gte: "cancel", $lt: "cancem" } } }],
    ["channel:email|chat", { "facets.channel": { $in: ["email", "chat"] } }],
    ["kind:ticket", { kind: "ticket" }],
    ["score:<7", { score: { $lt: 7 } }],
    ["score:9", { score: 9 }],
    ["a OR b", { $or: [{ "enrichment.terms": "a" }, { "enrichment.terms": "b" }] }],
    ["a -b", { $and: [{ "enrichment.terms": "a" }, { $nor: [{ "enrichment.terms": "b" }] }] }],
    ['refund NOT "still waiting"', { "enrichment.terms": "refund" }],
    ['NOT "still waiting"', {}],
    ['NOT (refund NOT "still waiting")', {
      $nor: [{ $and: [{ "enrichment.terms": "refund" }, { $nor: [{ "enrichment.terms": { $all: ["still", "waiting"] } }] }] }],
    }],
    ["NOT NOT refund", { "enrichment.terms": "refund" }],
    ['NOT NOT "still waiting"', { "enrichment.terms": { $all: ["still", "waiting"] } }],
    // stop words ("the", "you", "for", "on" in the fake): a lone one is ignored (exactly);
    // in a phrase or NEAR it counts but has no term to require (never {$all: []})
    ["the", {}],
    ["NOT the", { _id: { $in: [] } }],
    ["the refund", { "enrichment.terms": "refund" }],
    ["the OR refund", {}],
    ['"the"', {}],
    ['NOT "the"', {}],
    ['"for the"', {}],
    ['NOT "you for"', {}],
    ['"thank you"', { "enrichment.terms": "thank" }],
    ['NOT "thank you"', {}],
    ['refund NOT "thank you"', { "enrichment.terms": "refund" }],
    ['"still waiting for the refund"', { "enrichment.terms": { $all: ["still", "waiting", "refund"] } }],
    ['NOT "waiting for the refund"', {}],
    ["you NEAR/2 refund", { "enrichment.terms": "refund" }],
    ["NOT (you NEAR/2 refund)", {}],
    ['"the you" NEAR/2 for', {}],
    ['NOT (the NEAR/2 "for you")', {}],
    ["login NEAR/3f error", { "enrichment.terms": { $all: ["login", "error"] } }],
    // hashtags and handles are terms of their own (an item's terms also hold each hashtag's word)
    ["#Refunds", { "enrichment.terms": "#refunds" }],
    ["@United -#spam", { $and: [{ "enrichment.terms": "@united" }, { $nor: [{ "enrichment.terms": "#spam" }] }] }],
    ['NOT "a b" OR c', {}],
    ['"a b" OR NOT c', { $or: [{ "enrichment.terms": { $all: ["a", "b"] } }, { $nor: [{ "enrichment.terms": "c" }] }] }],
  ])("%s", (q, filter) => {
    expect(filterOf(q)).toEqual(filter);
  });

  it("builds an $or over languages whose stems differ", () => {
    expect(compileMongoFilter(parseQuery("wachten"), bilingualNormalize, ["en", "nl", "de"])).toEqual({
      $or: [
        { "enrichment.language": { $in: ["en", "de"] }, "enrichment.terms": "wachten" },
        { "enrichment.language": "nl", "enrichment.terms": "wacht" },
      ],
    });
  });

  it("matches every item of a language where a word normalizes to nothing (a stop word)", () => {
    const f = (q: string, langs: string[]) => compileMongoFilter(parseQuery(q), bilingualNormalize, langs);
    expect(f("de", ["en", "nl"])).toEqual({
      $or: [{ "enrichment.language": "en", "enrichment.terms": "de" }, { "enrichment.language": "nl" }],
    });
    expect(f("NOT de", ["en", "nl"])).toEqual({
      $nor: [{ $or: [{ "enrichment.language": "en", "enrichment.terms": "de" }, { "enrichment.language": "nl" }] }],
    });
    expect(f("de", ["nl"])).toEqual({});
    expect(f("NOT de", ["nl"])).toEqual({ _id: { $in: [] } });
    expect(f('"the wachten"', ["en", "nl", "de"])).toEqual({
      $or: [
        { "enrichment.language": { $in: ["en", "de"] }, "enrichment.terms": "wachten" },
        { "enrichment.language": "nl", "enrichment.terms": { $all: ["the", "wacht"] } },
      ],
    });
    expect(f('"de the"', ["en", "nl"])).toEqual({
      $or: [{ "enrichment.language": "en", "enrichment.terms": "de" }, { "enrichment.language": "nl", "enrichment.terms": "the" }],
    });
    expect(f("the de", ["en", "nl"])).toEqual({
      $and: [
        { $or: [{ "enrichment.language": "en" }, { "enrichment.language": "nl", "enrichment.terms": "the" }] },
        { $or: [{ "enrichment.language": "en", "enrichment.terms": "de" }, { "enrichment.language": "nl" }] },
      ],
    });
    expect(compileMongoFilter(parseQuery("refund"), fakeNormalize, [])).toEqual({ _id: { $in: [] } });
    expect(JSON.stringify(f("the OR de OR \"the de\" OR (de NEAR/1 the)", ["en", "nl", "fr"]))).not.toContain("$all\":[]");
  });

  it("never turns user input into a key, an operator or a regular expression", () => {
    const nasty = '$where "$gt" $regex* tag:$ne|"{$gt: 1}" team:"$or" $re.* a.b* __proto__ constructor* $$$*';
    const filter = filterOf(nasty);
    expect([...keysOf(filter)].filter((k) => !ALLOWED_KEYS.has(k))).toEqual([]);
    expect(JSON.stringify(filter)).toContain('"$where"'); // present, but only as a value
    const values: unknown[] = [];
    const walk = (x: unknown): void => {
      if (x instanceof RegExp) values.push(x);
      else if (x && typeof x === "object") Object.values(x).forEach(walk);
    };
    walk(filter);
    expect(values).toEqual([]);
    fc.assert(
      fc.property(queryArb, (ast) => {
        const keys = keysOf(compileMongoFilter(ast, bilingualNormalize, LANGUAGES));
        expect([...keys].filter((k) => !ALLOWED_KEYS.has(k))).toEqual([]);
      }),
    );
  });

  it("prefix ranges select exactly the terms starting with the prefix", () => {
    const f = filterOf("caf*");
    expect(matchesFilter(f, itemOf("cafe"))).toBe(true);
    expect(matchesFilter(f, itemOf("caf"))).toBe(true);
    expect(matchesFilter(f, itemOf("cag"))).toBe(false);
    expect(matchesFilter(f, itemOf("cae"))).toBe(false);
  });
});

describe("filterIsExact", () => {
  it.each([
    ["refund late", true],
    ['"refund"', false], // a quoted stop word needs positions; only the normalizer knows which are
    ["cancel* kind:ticket score:<7 -tag:x", true],
    ['"still waiting"', false],
    ["NOT (a NEAR/2 b)", false],
  ])("%s -> %s", (q, exact) => {
    expect(filterIsExact(parseQuery(q))).toBe(exact);
  });
});

describe("the MongoDB filter agrees with the matcher (property)", () => {
  it("is a superset of the matcher, and equal when filterIsExact", () => {
    fc.assert(
      fc.property(queryArb, fc.array(itemArb, { minLength: 1, maxLength: 8 }), (ast, items) => {
        const filter = compileMongoFilter(ast, bilingualNormalize, LANGUAGES);
        const matcher = compileMatcher(ast, bilingualNormalize);
        const exact = filterIsExact(ast);
        for (const item of items) {
          const m = matcher(item).matched;
          const f = matchesFilter(filter, item);
          if (m) expect(f).toBe(true);
          if (exact) expect(f).toBe(m);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it("agrees on hand-picked queries over real-looking items", () => {
    const items = [
      itemOf("still waiting for a refund", { facets: { kind: "ticket", tag: ["billing"], channel: "email" } }),
      itemOf("waiting still no refund"),
      itemOf("login error again", { kind: "mention", facets: { kind: "mention", tag: [] } }),
      itemOf("great service", { kind: "survey", score: 9, facets: { kind: "survey", tag: [] } }),
    ];
    items.push(itemOf("thank you for the refund"), itemOf("you thank"), itemOf("want a #Refunds @united"), itemOf("on hold for the refund"));
    const queries = [
      '"thank you"', 'NOT "thank you"', "the", "-the", '"waiting for the refund"', '"still waiting" refund', 'NOT "still waiting"',
      "login NEAR/0 error kind:mention", "score:>=9 OR tag:billing", "-refund -score:<9", '"on hold"', "NOT (hold NEAR/1f refund)",
      "refund NEAR/2f #refunds", "refunds -#refunds", '"a refund"', "@united OR #refund",
    ];
    for (const q of queries) {
      const ast = parseQuery(q);
      const filter = compileMongoFilter(ast, fakeNormalize, ["en"]);
      const matcher = compileMatcher(ast, fakeNormalize);
      for (const item of items) {
        if (matcher(item).matched) expect(matchesFilter(filter, item)).toBe(true);
        if (filterIsExact(ast)) expect(matchesFilter(filter, item)).toBe(matcher(item).matched);
      }
    }
  });
});
