/**
 * The stored enrichment shape (models.ts `Enrichment`) from one analysis. Pure.
 */
import type { Enrichment } from "../models";
import type { TextAnalysis } from "./analyzer";
import { keywordsOf, type CorpusStats } from "./keywords";

/**
 * Enrichment of an analyzed text: its language, tokens (positions dropped: stored token indices
 * are what phrase/NEAR search counts), distinct terms in first-seen order, the top `keywordLimit`
 * keywords against `corpus` and the sentiment (or `null` and the reason).
 */
export function enrichmentOf(analysis: TextAnalysis, corpus: CorpusStats, keywordLimit = 10): Enrichment {
  const out: Enrichment = {
    language: analysis.language,
    tokens: analysis.tokens,
    terms: distinct(analysis.tokens),
    keywords: keywordsOf(analysis, corpus, keywordLimit),
    sentiment: analysis.sentiment,
  };
  if (analysis.sentimentReason) out.sentimentReason = analysis.sentimentReason;
  return out;
}

/** distinct strings in first-seen order (a linear scan for short lists, a Set for long ones) */
function distinct(tokens: readonly string[]): string[] {
  if (tokens.length > 32) return [...new Set(tokens)];
  const out: string[] = [];
  for (const t of tokens) if (!out.includes(t)) out.push(t);
  return out;
}
