/**
 * Shared fakes and fast-check arbitraries for the query tests: a fake normalizer, random query
 * ASTs of the shapes the parser produces, and random stored items over the same small vocabulary
 * (small on purpose, so random queries and items actually overlap).
 */
import fc from "fast-check";
import type { CompareOp, QueryNode, WordNormalizer } from "../../../shared/domain/query/index";
import type { MatchableItem } from "../../../shared/domain/query/index";

const fold = (w: string) => w.toLowerCase().normalize("NFD").replace(/\p{M}+/gu, "");

/**
 * English stop words of the fakes: their term is "" (never stored as tokens or terms), and as
 * written they are themselves (stored in `words`, where phrases and NEAR count them).
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(["the", "you", "for", "on"]);

/** `#tag` and `@handle` are folded, not stemmed (as by the NLP core). */
const isTagOrHandle = (f: string) => f.length > 1 && (f[0] === "#" || f[0] === "@");

/**
 * The brief's fake: lowercase + accent fold + strip a trailing "s"; "" for {@link STOP_WORDS}
 * (the word itself `asWritten`).
 */
export const fakeNormalize: WordNormalizer = (w, _lang, asWritten) => {
  const f = fold(w);
  if (isTagOrHandle(f)) return f;
  if (STOP_WORDS.has(f)) return asWritten ? f : "";
  return f.replace(/s$/, "");
};

/**
 * A language-dependent fake, so the MongoDB filter's per-language `$or` is exercised: "nl" strips
 * a trailing "en" instead and has the stop word "de"; "en" has {@link STOP_WORDS}.
 */
export const bilingualNormalize: WordNormalizer = (w, lang, asWritten) => {
  const f = fold(w);
  if (isTagOrHandle(f)) return f;
  if (lang === "nl") return f === "de" ? (asWritten ? f : "") : f.replace(/en$/, "");
  return STOP_WORDS.has(f) ? (asWritten ? f : "") : f.replace(/s$/, "");
};

/**
 * The enrichment the NLP core stores for a text made of `written` words, with `normalize` as its
 * normalization: words as written, content tokens, and terms (distinct tokens, then the terms of
 * the words inside hashtags).
 */
export function enrichmentOfWords(written: readonly string[], language: string, normalize: WordNormalizer = fakeNormalize) {
  const words = written.map((w) => normalize(w, language, true)).filter((w) => w !== "");
  const tokens = written.map((w) => normalize(w, language)).filter((t) => t !== "");
  const tagTerms = words.filter((w) => w.length > 1 && w[0] === "#").map((w) => normalize(w.slice(1), language)).filter((t) => t !== "");
  return { language, tokens, words, terms: [...new Set([...tokens, ...tagTerms])] };
}

export const LANGUAGES = ["en", "nl"];
/** Query words as an analyst might type them (case, accents, plurals). */
export const WORDS = [
  "refund", "Refunds", "réfund", "late", "delay", "wait", "waiten", "login", "error", "errors", "cancel", "de", "and", "the", "You", "for",
  "on", "#refund", "#Refunds", "@united",
];
/** Words of item texts: the query words, and some no query has. */
const TEXT_WORDS = [...WORDS, "cancellation", "logout", "other", "#late", "#the", "#RefundNow", "@acme"];
export const PREFIXES = ["ref", "can", "wai", "err", "log", "del", "logo", "refun", "cance", "cancel"];
const TAGS = ["billing", "bug", "vip"];
const TEAMS = ["tier 2", "tier 1"];

const word = fc.constantFrom(...WORDS).map((w): QueryNode => ({ type: "word", word: w }));
const phrase = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }).map((words): QueryNode => ({ type: "phrase", words }));
const operand = fc.oneof(word, phrase) as fc.Arbitrary<QueryNode & { type: "word" | "phrase" }>;
const near = fc
  .record({ left: operand, right: operand, distance: fc.integer({ min: 0, max: 3 }), ordered: fc.boolean() })
  .map(({ ordered, ...r }): QueryNode => ({ type: "near", ...r, ...(ordered && { ordered: true as const }) }));
const prefix = fc.constantFrom(...PREFIXES).map((prefix): QueryNode => ({ type: "prefix", prefix }));
const field = fc.oneof(
  fc.subarray(["ticket", "mention", "survey"], { minLength: 1 }).map((values): QueryNode => ({ type: "field", field: "kind", values })),
  fc.subarray(TAGS, { minLength: 1 }).map((values): QueryNode => ({ type: "field", field: "tag", values })),
  fc.constantFrom(...TEAMS).map((v): QueryNode => ({ type: "field", field: "team", values: [v] })),
  fc.constantFrom("negative", "positive").map((v): QueryNode => ({ type: "field", field: "sentiment", values: [v] })),
  fc.constantFrom(...LANGUAGES).map((v): QueryNode => ({ type: "field", field: "lang", values: [v] })),
);
const compare = fc
  .record({ op: fc.constantFrom<CompareOp>("<", "<=", ">", ">=", "="), value: fc.integer({ min: -1, max: 11 }) })
  .map((r): QueryNode => ({ type: "compare", field: "score", ...r }));

/** Random query ASTs in the shapes `parseQuery` produces (AND/OR with 2+ children, nesting kept). */
export const queryArb: fc.Arbitrary<QueryNode> = fc.letrec<{ node: QueryNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    word, phrase, prefix, near, field, compare,
    fc.array(tie("node"), { minLength: 2, maxLength: 3 }).map((children): QueryNode => ({ type: "and", children })),
    fc.array(tie("node"), { minLength: 2, maxLength: 3 }).map((children): QueryNode => ({ type: "or", children })),
    tie("node").map((child): QueryNode => ({ type: "not", child })),
  ),
})).node;

/**
 * Searches that only exclude (`-refund -cancel* -kind:ticket`): no required term, so the
 * percolator vetoes them from the excluded ids instead of checking them for every item.
 */
export const exclusionArb: fc.Arbitrary<QueryNode> = fc
  .array(fc.oneof(word, prefix, field), { minLength: 1, maxLength: 3 })
  .map((cs): QueryNode => {
    const nots = cs.map((child): QueryNode => ({ type: "not", child }));
    return nots.length === 1 ? nots[0]! : { type: "and", children: nots };
  });

/** Random stored items over the same vocabulary. */
export const itemArb: fc.Arbitrary<MatchableItem> = fc
  .record({
    kind: fc.constantFrom("ticket", "mention", "survey"),
    language: fc.constantFrom(...LANGUAGES),
    text: fc.array(fc.constantFrom(...TEXT_WORDS), { maxLength: 10 }),
    tag: fc.subarray(TAGS),
    team: fc.option(fc.constantFrom(...TEAMS), { nil: undefined }),
    sentiment: fc.option(fc.constantFrom("negative", "neutral", "positive"), { nil: undefined }),
    score: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
  })
  .map((r) => ({
    kind: r.kind,
    enrichment: enrichmentOfWords(r.text, r.language, bilingualNormalize),
    facets: {
      kind: r.kind,
      lang: r.language,
      tag: r.tag,
      ...(r.team !== undefined && { team: r.team }),
      ...(r.sentiment !== undefined && { sentiment: r.sentiment }),
    },
    ...(r.score !== undefined && { score: r.score }),
  }));

/** An item from English words, enriched with the fake as the NLP core does ({@link enrichmentOfWords}). */
export function itemOf(text: string, extra: Partial<MatchableItem> & { language?: string } = {}): MatchableItem {
  const language = extra.language ?? "en";
  return {
    kind: extra.kind ?? "ticket",
    enrichment: enrichmentOfWords(text.split(/\s+/).filter(Boolean), language),
    facets: extra.facets ?? { kind: extra.kind ?? "ticket", tag: [] },
    ...(extra.score !== undefined && { score: extra.score }),
  };
}
