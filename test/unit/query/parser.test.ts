import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatQuery, parseQuery, QUERY_LIMITS, QuerySyntaxError, type QueryNode, type WordNode } from "../../../shared/domain/query/index";
import { ValidationError } from "../../../shared/errors";
import { queryArb } from "./query-arbitraries";

const w = (word: string): WordNode => ({ type: "word", word });

function errorOf(q: string): QuerySyntaxError {
  try {
    parseQuery(q);
  } catch (e) {
    if (e instanceof QuerySyntaxError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(q)} not to parse`);
}

describe("parseQuery: terms", () => {
  it.each<[string, QueryNode]>([
    ["refund", w("refund")],
    ['"still waiting"', { type: "phrase", words: ["still", "waiting"] }],
    ['"  still   waiting "', { type: "phrase", words: ["still", "waiting"] }],
    ["cancel*", { type: "prefix", prefix: "cancel" }],
    ["Annulé*", { type: "prefix", prefix: "annule" }],
    ["login NEAR/3 error", { type: "near", left: w("login"), right: w("error"), distance: 3 }],
    ['"log in" NEAR/0 error', { type: "near", left: { type: "phrase", words: ["log", "in"] }, right: w("error"), distance: 0 }],
    ["channel:email", { type: "field", field: "channel", values: ["email"] }],
    ["Channel:EMAIL", { type: "field", field: "channel", values: ["email"] }],
    ["kind:ticket|mention|survey", { type: "field", field: "kind", values: ["ticket", "mention", "survey"] }],
    ['team:"Tier 2"', { type: "field", field: "team", values: ["tier 2"] }],
    ['team:"Équipe  B"|tier2', { type: "field", field: "team", values: ["equipe b", "tier2"] }],
    ["region:EU", { type: "field", field: "region", values: ["eu"] }],
    ["lang:NL", { type: "field", field: "lang", values: ["nl"] }],
    ["sentiment:negative", { type: "field", field: "sentiment", values: ["negative"] }],
    ["platform:app-store", { type: "field", field: "platform", values: ["app-store"] }],
    ["source:zendesk tag:billing segment:enterprise plan:pro", {
      type: "and",
      children: [
        { type: "field", field: "source", values: ["zendesk"] },
        { type: "field", field: "tag", values: ["billing"] },
        { type: "field", field: "segment", values: ["enterprise"] },
        { type: "field", field: "plan", values: ["pro"] },
      ],
    }],
    ["score:<7", { type: "compare", field: "score", op: "<", value: 7 }],
    ["score:>=9", { type: "compare", field: "score", op: ">=", value: 9 }],
    ["score:<=2.5", { type: "compare", field: "score", op: "<=", value: 2.5 }],
    ["score:>0", { type: "compare", field: "score", op: ">", value: 0 }],
    ["score:10", { type: "compare", field: "score", op: "=", value: 10 }],
    ["score:=3", { type: "compare", field: "score", op: "=", value: 3 }],
    ["and", w("and")],
    ["or not near", { type: "and", children: [w("or"), w("not"), w("near")] }],
    ["e-mail @united #fail", { type: "and", children: [w("e-mail"), w("@united"), w("#fail")] }],
  ])("%s", (q, ast) => {
    expect(parseQuery(q)).toEqual(ast);
  });
});

describe("parseQuery: operators and precedence (NOT > AND > OR)", () => {
  it.each<[string, QueryNode]>([
    ["a b", { type: "and", children: [w("a"), w("b")] }],
    ["a AND b", { type: "and", children: [w("a"), w("b")] }],
    ["a b OR c", { type: "or", children: [{ type: "and", children: [w("a"), w("b")] }, w("c")] }],
    ["a OR b c", { type: "or", children: [w("a"), { type: "and", children: [w("b"), w("c")] }] }],
    ["a OR b AND c OR d", { type: "or", children: [w("a"), { type: "and", children: [w("b"), w("c")] }, w("d")] }],
    ["NOT a b", { type: "and", children: [{ type: "not", child: w("a") }, w("b")] }],
    ["NOT a OR b", { type: "or", children: [{ type: "not", child: w("a") }, w("b")] }],
    ["a NOT b", { type: "and", children: [w("a"), { type: "not", child: w("b") }] }],
    ["a -b", { type: "and", children: [w("a"), { type: "not", child: w("b") }] }],
    ["-(a OR b)", { type: "not", child: { type: "or", children: [w("a"), w("b")] } }],
    ["NOT NOT a", { type: "not", child: { type: "not", child: w("a") } }],
    ["--a", { type: "not", child: { type: "not", child: w("a") } }],
    ["(a OR b) c", { type: "and", children: [{ type: "or", children: [w("a"), w("b")] }, w("c")] }],
    ["a AND (b AND c)", { type: "and", children: [w("a"), { type: "and", children: [w("b"), w("c")] }] }],
    ["((a))", w("a")],
    ["re-open", w("re-open")],
    ["a NEAR/2 b c", { type: "and", children: [{ type: "near", left: w("a"), right: w("b"), distance: 2 }, w("c")] }],
    ['refund AND (late OR delayed) NOT "thank you"', {
      type: "and",
      children: [
        w("refund"),
        { type: "or", children: [w("late"), w("delayed")] },
        { type: "not", child: { type: "phrase", words: ["thank", "you"] } },
      ],
    }],
  ])("%s", (q, ast) => {
    expect(parseQuery(q)).toEqual(ast);
  });
});

describe("parseQuery: every error message", () => {
  const long = "a ".repeat(QUERY_LIMITS.maxLength);
  const deep = "(".repeat(QUERY_LIMITS.maxDepth + 1) + "a" + ")".repeat(QUERY_LIMITS.maxDepth + 1);
  const nots = "NOT ".repeat(QUERY_LIMITS.maxDepth + 1) + "a";
  const many = Array.from({ length: QUERY_LIMITS.maxClauses + 1 }, (_, i) => `w${i}`).join(" ");
  const manyValues = "tag:" + Array.from({ length: QUERY_LIMITS.maxListValues + 1 }, (_, i) => `t${i}`).join("|");
  const longPhrase = `"${"x ".repeat(QUERY_LIMITS.maxPhraseWords + 1)}"`;
  it.each(([
    ["", 'at 0: expected a term, phrase or "(", found end of query'],
    ["   ", 'at 3: expected a term, phrase or "(", found end of query'],
    ["refund AND (", 'at 12: expected a term, phrase or "(" after "(", found end of query'],
    ["refund AND late", "ok"],
    ["refund late AND", 'at 15: expected a term, phrase or "(" after AND, found end of query'],
    ["refund AND OR x", 'at 11: expected a term, phrase or "(" after AND, found "OR"'],
    ["refund OR", 'at 9: expected a term, phrase or "(" after OR, found end of query'],
    ["refund OR )", 'at 10: expected a term, phrase or "(" after OR, found ")"'],
    ["NOT", 'at 3: expected a term, phrase or "(" after NOT, found end of query'],
    ["a NOT AND b", 'at 6: expected a term, phrase or "(" after NOT, found "AND"'],
    ["-(", 'at 2: expected a term, phrase or "(" after "(", found end of query'],
    ["a - b", 'at 3: expected a term, phrase or "(" right after "-", found a space'],
    ["a -", 'at 3: expected a term, phrase or "(" right after "-", found end of query'],
    ["AND a", 'at 0: expected a term, phrase or "(", found "AND"'],
    ["OR a", 'at 0: expected a term, phrase or "(", found "OR"'],
    [")", 'at 0: expected a term, phrase or "(", found ")"'],
    ["()", 'at 1: expected a term, phrase or "(" after "(", found ")"'],
    ["(a OR b", 'at 7: expected ")" to close the "(" at 0, found end of query'],
    ["a )", 'at 2: expected end of query (no "(" is open), found ")"'],
    ["(a)) b", 'at 3: expected end of query (no "(" is open), found ")"'],
    ['"still waiting', "at 14: expected a closing quote for the phrase opened at 0, found end of query"],
    ['a ""', 'at 2: expected a word inside the quotes, found ""'],
    [longPhrase, `at 0: expected at most ${QUERY_LIMITS.maxPhraseWords} words in a phrase, found ${QUERY_LIMITS.maxPhraseWords + 1} words`],
    ["ca*", 'at 0: expected at least 3 characters before "*", found "ca*"'],
    ["*", 'at 0: expected at least 3 characters before "*", found "*"'],
    ["can*cel", 'at 3: expected "*" only at the end of a word (prefix search), found "can*cel"'],
    ["*cancel", 'at 0: expected "*" only at the end of a word (prefix search), found "*cancel"'],
    ["a NEAR b", 'at 2: expected a distance after NEAR, as in NEAR/3 or NEAR/3f (in order), found "NEAR"'],
    ["a NEAR/x b", 'at 2: expected a distance after NEAR, as in NEAR/3 or NEAR/3f (in order), found "NEAR/x"'],
    ["a NEAR/101 b", `at 7: expected a NEAR distance of at most ${QUERY_LIMITS.maxNearDistance}, found "101"`],
    ["NEAR/3 b", 'at 0: expected a word or phrase before NEAR/3, found "NEAR/3"'],
    ["cancel* NEAR/3 b", 'at 0: expected a word or phrase before NEAR/3, found "cancel*"'],
    ["a NEAR/3", "at 8: expected a word or phrase after NEAR/3, found end of query"],
    ["a NEAR/3 (b)", 'at 9: expected a word or phrase after NEAR/3, found "("'],
    ["a NEAR/3 cancel*", 'at 9: expected a word or phrase after NEAR/3, found "cancel*"'],
    ["a NEAR/2 b NEAR/3 c", 'at 11: expected AND, OR or a term (NEAR joins exactly two words or phrases), found "NEAR/3"'],
    ["foo:bar", 'at 0: expected a field name (channel, source, platform, kind, tag, team, segment, plan, region, lang, sentiment, score), found "foo:"'],
    ["re: refund", 'at 3: expected a value after "re:", found a space'],
    [":a", 'at 0: expected a field name before ":", found ":"'],
    ["team:", 'at 5: expected a value after "team:", found end of query'],
    ["kind:ticket|", 'at 12: expected a value after "kind:", found end of query'],
    ["tag:)", 'at 4: expected a value after "tag:", found ")"'],
    ['team:"tier 2', "at 12: expected a closing quote for the value opened at 5, found end of query"],
    ['team:""', 'at 5: expected a non-empty value for team, found ""'],
    [manyValues, `at ${4 + 3 * 10 + 4 * 40}: expected at most ${QUERY_LIMITS.maxListValues} values in a list, found more`],
    ["kind:foo", 'at 5: expected one of ticket, mention, survey for kind, found "foo"'],
    ["kind:ticket|tickets", 'at 12: expected one of ticket, mention, survey for kind, found "tickets"'],
    ["channel:fax", 'at 8: expected one of email, chat, phone, social, web, sms, messaging, other for channel, found "fax"'],
    ["platform:myspace", 'at 9: expected one of twitter, reddit, facebook, instagram, review-site, app-store, forum, news, other for platform, found "myspace"'],
    ["sentiment:angry", 'at 10: expected one of negative, neutral, positive for sentiment, found "angry"'],
    ["lang:english", 'at 5: expected a language code such as en or nl for lang, found "english"'],
    ["score:<abc", 'at 7: expected a number after "<" for score, found "abc"'],
    ["score:>=", 'at 8: expected a number after ">=" for score, found nothing'],
    ["score:high", 'at 6: expected a number or a comparison such as <7 or >=9 for score, found "high"'],
    ['score:"7"', 'at 6: expected a number or a comparison such as <7 or >=9 for score, found "7"'],
    ["score:7|8", 'at 7: expected a single comparison for score, such as score:<7, found "|"'],
    [long, `at ${QUERY_LIMITS.maxLength}: expected at most ${QUERY_LIMITS.maxLength} characters, found ${long.length} characters`],
    [deep, `at ${QUERY_LIMITS.maxDepth}: expected at most ${QUERY_LIMITS.maxDepth} nested groups and NOTs, found deeper nesting`],
    [nots, `at ${4 * QUERY_LIMITS.maxDepth}: expected at most ${QUERY_LIMITS.maxDepth} nested groups and NOTs, found deeper nesting`],
    [many, `at ${many.lastIndexOf(" ") + 1}: expected at most ${QUERY_LIMITS.maxClauses} terms and filters, found more`],
  ] as [string, string][]).map(([q, message]) => ({ name: q.length > 40 ? `${q.slice(0, 40)}… (${q.length} chars)` : q, q, message })))("$name", ({ q, message }) => {
    if (message === "ok") {
      expect(() => parseQuery(q)).not.toThrow();
      return;
    }
    expect(errorOf(q).message).toBe(message);
  });

  it("carries position, expected and found, and is a 400 ValidationError", () => {
    const e = errorOf("refund AND");
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.statusCode).toBe(400);
    expect(e.issues).toEqual([{ path: "query", message: e.message }]);
    expect({ position: e.position, expected: e.expected, found: e.found }).toEqual({
      position: 10,
      expected: 'a term, phrase or "(" after AND',
      found: "end of query",
    });
  });

  it("rejects pathological input fast", () => {
    const start = performance.now();
    for (const q of ["(".repeat(100_000), "a ".repeat(1_000), '"'.repeat(1_999), "NOT ".repeat(499)]) {
      expect(() => parseQuery(q)).toThrow(QuerySyntaxError);
    }
    expect(performance.now() - start).toBeLessThan(1_000);
  });
});

describe("formatQuery", () => {
  it.each([
    ['refund AND (late OR delayed) NOT "thank you"', 'refund AND (late OR delayed) AND NOT "thank you"'],
    ["a b OR c", "(a AND b) OR c"],
    ["-(a b)", "NOT (a AND b)"],
    ['team:"Tier 2"|x score:<7 kind:ticket', 'team:"tier 2"|x AND score:<7 AND kind:ticket'],
    ["score:7", "score:7"],
    ["Cancel*", "cancel*"],
  ])("%s -> %s", (q, text) => {
    expect(formatQuery(parseQuery(q))).toBe(text);
  });

  it("round-trips: parseQuery(formatQuery(ast)) equals ast (property)", () => {
    fc.assert(
      fc.property(queryArb, (ast) => {
        expect(parseQuery(formatQuery(ast))).toEqual(ast);
      }),
      { numRuns: 500 },
    );
  });
});
