/**
 * The stored enrichment shape (models.ts `Enrichment`) from one analysis. Pure.
 */
import type { Enrichment } from "../models";
import type { TextAnalysis } from "./analyzer";
import { keywordsAndTermsOf, type CorpusStats } from "./keywords";

/**
 * Enrichment of an analyzed text: its language, tokens (content words, positions dropped), its
 * words as written (phrase and NEAR search counts positions there, stop words included), distinct
 * terms in first-seen order followed by the terms of the words inside hashtags not already among
 * them (so `refund` finds "#refund"), the top `keywordLimit` keywords against `corpus` and the
 * sentiment (or `null` and the reason).
 */
export function enrichmentOf(analysis: TextAnalysis, corpus: CorpusStats, keywordLimit = 10): Enrichment {
  const terms: string[] = [];
  const keywords = keywordsAndTermsOf(analysis, corpus, keywordLimit, terms);
  if (analysis.tagTerms.length > 0) {
    const seen = new Set(terms);
    for (const t of analysis.tagTerms) {
      if (seen.has(t)) continue;
      seen.add(t);
      terms.push(t);
    }
  }
  const out: Enrichment = {
    language: analysis.language, tokens: analysis.tokens, words: analysis.words, terms, keywords, sentiment: analysis.sentiment,
  };
  if (analysis.sentimentReason) out.sentimentReason = analysis.sentimentReason;
  return out;
}
