/**
 * Public interface of the NLP core (see README.md). Everything else in this folder is internal.
 */
import { makeTextAnalyzer, type TextAnalyzer } from "./analyzer";

export { makeTextAnalyzer } from "./analyzer";
export type { TextAnalysis, TextAnalyzer, TextAnalyzerOptions } from "./analyzer";
export { keywordsOf, idf } from "./keywords";
export type { CorpusStats } from "./keywords";
export { enrichmentOf } from "./enrichment";
export { SENTIMENT_LANGUAGES } from "./lexicons";
export { LABEL_THRESHOLD, NEGATION_WINDOW } from "./sentiment";

let shared: TextAnalyzer | undefined;

/**
 * The term a single query word becomes in `language`: the same lowercasing, accent folding,
 * elision splitting and stemming a token gets ("Refunds" -> "refund" in English). Returns "" for a
 * stop word (documents never contain those as terms, so a lone query word that is one is dropped)
 * and for empty input. With `asWritten`, returns the word's entry in the stored words as written
 * instead, which phrases and NEAR compare (a stop word's folded form: "You" -> "you"). `#tag` and
 * `@handle` are folded, not stemmed. A Chinese or Japanese query word is only folded (not
 * segmented). Uses one process-wide analyzer.
 */
export function normalizeQueryWord(word: string, language: string, asWritten = false): string {
  shared ??= makeTextAnalyzer();
  return shared.termOf(word, language, asWritten);
}
