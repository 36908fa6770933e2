/** Test corpora for rising terms: texts run through the real analyzer into TermDocs. */
import { enrichmentOf, makeTextAnalyzer } from "../../../shared/domain/nlp/index";
import type { Enrichment } from "../../../shared/domain/models";
import { termDocOf, type TermDoc } from "../../../shared/domain/terms/index";

const analyzer = makeTextAnalyzer({ fallbackLanguage: "en" });
const flatCorpus = { docCount: 0, df: () => 0 };

export function enrichmentOfText(text: string): Enrichment {
  return enrichmentOf(analyzer.analyze(text, { language: "en" }), flatCorpus);
}

export function docOf(text: string, kind = "mention"): TermDoc {
  return termDocOf({ kind, text, enrichment: enrichmentOfText(text) });
}

/** `n` made-up product words ("zabk", "zack", ...), distinct after stemming, with `offset`. */
export function nouns(n: number, offset = 0): string[] {
  const letters = "bcdfghjklmnpqrstvwxz";
  const out: string[] = [];
  for (let i = offset; i < offset + n; i++) out.push(`z${letters[Math.floor(i / 20) % 20]}${letters[i % 20]}k`);
  return out;
}

/** Repeats `make(i)` for i in [0, n). */
export const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
