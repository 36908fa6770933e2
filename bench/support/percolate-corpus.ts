/**
 * The benchmark's stream of real items: the airline tweets of the public data set (not in the
 * repository), enriched by the NLP core exactly as the enrichment worker does (language, stems,
 * content tokens and the words as written), so items have the terms, tokens and words stored items
 * have, and query words are normalized the same way.
 */
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { enrichmentOf, makeTextAnalyzer, normalizeQueryWord } from "../../shared/domain/nlp/index";
import { foldText, type MatchableItem, type WordNormalizer } from "../../shared/domain/query/index";

/** The tweets, relative to the public data directory (`--data <dir>`, default `../shared/data`). */
export const TWEETS_FILE = "sentiment/airline-tweets-dev.csv";

/** The workers' query-word normalizer (the NLP core's). */
export const benchNormalize: WordNormalizer = normalizeQueryWord;

/** Terms do not depend on document frequencies (keywords do, and matching does not read them). */
const NO_CORPUS = { docCount: 0, df: () => 0 };

export interface BenchItem extends MatchableItem {
  text: string;
}

/** Tweets as stored mentions (kind, enrichment, facets; the airline is the tag). */
export function loadTweets(path: string): BenchItem[] {
  const rows = parse(readFileSync(path, "utf8"), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const analyzer = makeTextAnalyzer({ fallbackLanguage: "en" });
  return rows.map((r) => {
    const text = r.text ?? "";
    const { tokens, words, terms } = enrichmentOf(analyzer.analyze(text, { language: "en" }), NO_CORPUS);
    const sentiment = r.airline_sentiment;
    return {
      text,
      kind: "mention",
      enrichment: { language: "en", tokens, words, terms },
      facets: {
        kind: "mention",
        platform: "twitter",
        source: "twitter",
        lang: "en",
        tag: r.airline ? [foldText(r.airline)] : [],
        ...(sentiment && { sentiment }),
      },
    };
  });
}
