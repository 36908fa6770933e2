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
 * stop word (documents never contain those as tokens, so the query compiler should drop them)
 * and for empty input. `#tag` and `@handle` are folded, not stemmed. A Chinese or Japanese query
 * word is only folded (not segmented). Uses one process-wide analyzer.
 */
export function normalizeQueryWord(word: string, language: string): string {
  shared ??= makeTextAnalyzer();
  return shared.termOf(word, language);
}
