import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileMatcher, parseQuery, type FacetField, type MatchableItem, type QueryNode } from "../../../shared/domain/query/index";
import { makeView } from "../../../shared/domain/query/item-view";
import { languageNormalizer } from "../../../shared/domain/query/matcher";
import {
  compileProgram, hasIdsOfPureOr, notIdsOfPureAnd, OP_CALL, OP_END, OP_HAS, OP_JF, OP_JT, OP_NOT, OP_TRUE, runProgram, type ViewTest,
} from "../../../shared/domain/query/program";
import { fakeNormalize, itemArb, itemOf, queryArb } from "./query-arbitraries";

/** Interns symbols as readable ids: stems 100+, facet values 200+, prefixes 300+, calls 0+. */
function symbolTable() {
  const ids = new Map<string, number>();
  const calls: ViewTest[] = [];
  const intern = (base: number, key: string) => {
    if (!ids.has(key)) ids.set(key, base + [...ids.keys()].filter((k) => k[0] === key[0]).length);
    return ids.get(key)!;
  };
  return {
    ids,
    calls,
    symbols: {
      stemId: (s: string) => intern(100, `t${s}`),
      facetId: (f: FacetField, v: string) => intern(200, `f${f}:${v}`),
      prefixId: (p: string) => intern(300, `x${p}`),
      callId: (t: ViewTest) => calls.push(t) - 1,
    },
  };
}

const compile = (q: string) => {
  const table = symbolTable();
  const code = compileProgram(parseQuery(q), languageNormalizer(fakeNormalize, "en"), table.symbols);
  return { code, ...table };
};

/** The percolator's side: mark each interned id the item has (stem, facet value, term prefix). */
function marksOf(ids: Map<string, number>, item: MatchableItem, stamp: number): Int32Array {
  const mark = new Int32Array(400);
  for (const [key, id] of ids) {
    const value = key.slice(1);
    const colon = value.indexOf(":");
    const facet = (field: string) => (field === "kind" ? item.kind : item.facets[field as keyof typeof item.facets]);
    const has =
      key[0] === "t" ? item.enrichment.terms.includes(value)
      : key[0] === "x" ? item.enrichment.terms.some((t) => t.startsWith(value))
      : [facet(value.slice(0, colon))].flat().includes(value.slice(colon + 1));
    if (has) mark[id] = stamp;
  }
  return mark;
}

function runOn(ast: QueryNode, item: MatchableItem): boolean {
  const table = symbolTable();
  const code = compileProgram(ast, languageNormalizer(fakeNormalize, "en"), table.symbols);
  const ctx = { mark: marksOf(table.ids, item, 7), stamp: 7, calls: table.calls, view: () => makeView(item) };
  return runProgram(code, 0, ctx);
}

describe("compileProgram", () => {
  it.each([
    ["refunds", [OP_HAS, 100, OP_END]],
    ["the", [OP_TRUE, OP_END]],
    ["cancel*", [OP_HAS, 300, OP_END]],
    ["channel:email|chat", [OP_HAS, 200, OP_JT, 4, OP_HAS, 201, OP_END]],
    ["NOT refund", [OP_HAS, 100, OP_NOT, OP_END]],
    // AND: every jump lands after the last part
    ["refund late wait", [OP_HAS, 100, OP_JF, 8, OP_HAS, 101, OP_JF, 4, OP_HAS, 102, OP_END]],
    // a phrase: each stem present, then the matcher's positional test
    ['"late refund"', [OP_HAS, 100, OP_JF, 8, OP_HAS, 101, OP_JF, 4, OP_CALL, 0, OP_END]],
    // a stop word has no term but counts in the phrase: the term, then the positions
    ['"thank you"', [OP_HAS, 100, OP_JF, 4, OP_CALL, 0, OP_END]],
    // a phrase of stop words only: positions alone
    ['"for the"', [OP_CALL, 0, OP_END]],
    ["login NEAR/2f error", [OP_HAS, 100, OP_JF, 8, OP_HAS, 101, OP_JF, 4, OP_CALL, 0, OP_END]],
    ["score:<7", [OP_CALL, 0, OP_END]],
  ])("%s compiles to %j", (q, expected) => {
    expect(compile(q).code).toEqual(expected);
  });

  it.each([
    ["refund OR late", true],
    ["refund AND (late OR delay) NOT wait", true],
    ["refund AND (late OR delay) NOT wait", false, "refund late wait"],
    ['"still waiting" NOT "thank you"', true, "still waiting"],
    ['"still waiting" NOT "thank you"', false, "waiting still"],
    ["login NEAR/1 error", true, "login failed error"],
    ["login NEAR/1 error", false, "login failed with error"],
    ["cancel* kind:ticket", true, "cancellation please"],
    ["cancel* kind:ticket", false, "please"],
    ["the", true, ""],
    ["NOT the", false, "refund"],
    ['"for the" refund', true, "refund for the hotel"],
    ['"for the" refund', false, "refund the hotel"],
    ["login NEAR/1f error", true, "login failed error"],
    ["error NEAR/1f login", false, "login failed error"],
    ["refund #refund", true, "#Refunds #refund"],
    ['"want refund"', true, "want #Refunds"],
    ['"want #refunds"', false, "want refunds"],
  ])("%s on the item is %s", (q, expected, text = "refund late") => {
    expect(runOn(parseQuery(q), itemOf(text, { facets: { kind: "ticket", tag: [] } }))).toBe(expected);
  });

  it("agrees with the matcher on random queries and items (property)", () => {
    fc.assert(
      fc.property(queryArb, itemArb, (ast, item) => {
        const en = { ...item, enrichment: { ...item.enrichment, language: "en" } };
        expect(runOn(ast, en)).toBe(compileMatcher(ast, fakeNormalize)(en).matched);
      }),
      { numRuns: 500 },
    );
  });
});

describe("hasIdsOfPureOr", () => {
  it.each([
    ["refund", [100]],
    ["refund OR late OR channel:email", [100, 101, 200]],
    ["tag:a|b", [200, 201]],
    ["refund late", null],
    ["NOT refund", null],
    ["the OR refund", null],
    ['"late refund"', null],
    ["(refund OR late) late", null],
  ])("%s → %j", (q, expected) => {
    expect(hasIdsOfPureOr(compile(q).code)).toEqual(expected);
  });
});

describe("notIdsOfPureAnd", () => {
  it.each([
    ["-refund", [100]],
    ["-refund -late NOT channel:email", [100, 101, 200]],
    ["NOT cancel*", [300]],
    ["NOT refund NOT refund", [100, 100]],
    ["NOT (refund OR late)", null],
    ["-refund late", null],
    ["-the -refund", null],
    ['-"late refund"', null],
    ["NOT score:<7", null],
    // the chain's jump lands on the outer NOT, not on END: this is `late OR NOT refund`
    ["NOT (NOT late refund)", null],
    ["NOT (NOT late NOT refund)", null],
  ])("%s → %j", (q, expected) => {
    expect(notIdsOfPureAnd(compile(q).code)).toEqual(expected);
  });
});
