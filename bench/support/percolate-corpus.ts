/**
 * The benchmark's stream of real items: the airline tweets from ../shared/data, tokenized with a
 * deliberately simple tokenizer (the real NLP core is wired by the lead later): lowercase, accent
 * fold, words/@handles/#hashtags, a trailing "s" stripped as a stand-in for stemming.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { foldText, type MatchableItem, type WordNormalizer } from "../../shared/domain/query/index";

export const TWEETS_PATH = fileURLToPath(new URL("../../../shared/data/sentiment/airline-tweets-dev.csv", import.meta.url));

/** The bench's normalizer: fold + strip a trailing "s" (the tests' fake). */
export const benchNormalize: WordNormalizer = (w) => foldText(w).replace(/s$/, "");

const WORD = /[@#]?[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu;

export function tokensOf(text: string): string[] {
  return (foldText(text).match(WORD) ?? []).map((w) => benchNormalize(w, "en")).filter((t) => t !== "");
}

export interface BenchItem extends MatchableItem {
  text: string;
}

/** Tweets as stored mentions (kind, enrichment, facets; the airline is the tag). */
export function loadTweets(path = TWEETS_PATH): BenchItem[] {
  const rows = parse(readFileSync(path, "utf8"), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return rows.map((r) => {
    const text = r.text ?? "";
    const tokens = tokensOf(text);
    const sentiment = r.airline_sentiment;
    return {
      text,
      kind: "mention",
      enrichment: { language: "en", tokens, terms: [...new Set(tokens)] },
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
