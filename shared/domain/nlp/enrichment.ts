/**
 * The stored enrichment shape (models.ts `Enrichment`) from one analysis. Pure.
 */
import type { Enrichment } from "../models";
import type { TextAnalysis } from "./analyzer";
import { keywordsAndTermsOf, type CorpusStats } from "./keywords";

/**
 * Enrichment of an analyzed text: its language, tokens (positions dropped: stored token indices
 * are what phrase/NEAR search counts), distinct terms in first-seen order, the top `keywordLimit`
 * keywords against `corpus` and the sentiment (or `null` and the reason).
 */
export function enrichmentOf(analysis: TextAnalysis, corpus: CorpusStats, keywordLimit = 10): Enrichment {
  const terms: string[] = [];
  const keywords = keywordsAndTermsOf(analysis, corpus, keywordLimit, terms);
  const out: Enrichment = { language: analysis.language, tokens: analysis.tokens, terms, keywords, sentiment: analysis.sentiment };
  if (analysis.sentimentReason) out.sentimentReason = analysis.sentimentReason;
  return out;
}
