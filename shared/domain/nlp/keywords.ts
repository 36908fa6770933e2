/**
 * Keywords of one analyzed text against a corpus: TF-IDF over single terms and over 2-3 word
 * phrases of consecutive terms. Pure.
 */
import type { Keyword } from "../models";
import type { TextAnalysis } from "./analyzer";

/** Document frequencies the workers keep per workspace (incrementally). */
export interface CorpusStats {
  /** documents seen so far (0 for a new workspace) */
  docCount: number;
  /** documents containing `term` (a token; phrases are not asked for) */
  df(term: string): number;
}

const DIGITS_ONLY = /^[\p{N}.,:/-]+$/u;
const HAS_LETTER = /\p{L}/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const URL = /^(?:https?:\/\/|www\.)/;
const PHRASE_BONUS = 1.1;

/**
 * Smoothed inverse document frequency, ln((1 + N) / (1 + df)) + 1 (scikit-learn's smooth_idf):
 * always >= 1, finite for N = 0 and for a df the corpus has not counted yet. df is clamped to [0, N].
 */
export function idf(docCount: number, df: number): number {
  const n = Math.max(0, Number.isFinite(docCount) ? docCount : 0);
  const d = Math.min(n, Math.max(0, Number.isFinite(df) ? df : 0));
  return Math.log((1 + n) / (1 + d)) + 1;
}

/**
 * 0: not a keyword (URLs, numbers, emoji, 1-letter words); 1: keyword but not part of phrases
 * (@handles, #hashtags); 2: word, may join phrases. ASCII words take a fast path.
 */
function kindOf(token: string): 0 | 1 | 2 {
  const c = token.charCodeAt(0);
  if (c >= 97 && c <= 122) {
    if (token.length < 2) return 0;
    if ((c === 104 || c === 119) && URL.test(token)) return 0; // h, w: maybe a URL
    return 2;
  }
  if (c === 64 || c === 35) return token.length >= 2 ? 1 : 0;
  if (DIGITS_ONLY.test(token) || !HAS_LETTER.test(token)) return 0;
  return token.length >= 2 || CJK.test(token) ? 2 : 0;
}

interface Found {
  surface: string;
  tf: number;
  idf: number;
}

/**
 * Top `limit` keywords (default 10), best first.
 * - term score: (1 + ln tf) × idf(term)
 * - phrase of n = 2..3 terms at consecutive positions (see TextAnalysis.positions): (1 + ln tf)
 *   × mean idf of its terms × 1.1, so a phrase ranks just above its average part and a domain
 *   phrase ("refund request") above the common words around it. Phrase df is not needed.
 * `term` is the space-joined stems (what search matches), `surface` the first readable form.
 * Ties break on term, so results are deterministic. Scores are rounded to 4 decimals.
 */
export function keywordsOf(analysis: TextAnalysis, corpus: CorpusStats, limit = 10): Keyword[] {
  const { tokens, surfaces, positions } = analysis;
  const n = tokens.length;
  const kinds = new Uint8Array(n);
  const idfs = new Float64Array(n);
  const found = new Map<string, Found>();
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    const kind = kindOf(t);
    kinds[i] = kind;
    if (kind === 0) continue;
    const e = found.get(t);
    if (e) {
      e.tf++;
      idfs[i] = e.idf;
    } else {
      const v = idf(corpus.docCount, corpus.df(t));
      idfs[i] = v;
      found.set(t, { surface: surfaces[i] ?? t, tf: 1, idf: v });
    }
  }
  for (let i = 0; i < n; i++) {
    if (kinds[i] !== 2) continue;
    let term = tokens[i]!;
    let surface = surfaces[i] ?? term;
    let idfSum = idfs[i]!;
    for (let len = 2; len <= 3; len++) {
      const j = i + len - 1;
      if (j >= n || kinds[j] !== 2 || positions[j] !== positions[j - 1]! + 1) break;
      term += ` ${tokens[j]}`;
      surface += ` ${surfaces[j] ?? tokens[j]}`;
      idfSum += idfs[j]!;
      const p = found.get(term);
      if (p) p.tf++;
      else found.set(term, { surface, tf: 1, idf: (idfSum / len) * PHRASE_BONUS });
    }
  }
  const scored: Keyword[] = [];
  for (const [term, e] of found) {
    scored.push({ term, surface: e.surface, score: Math.round((1 + Math.log(e.tf)) * e.idf * 1e4) / 1e4 });
  }
  scored.sort(byScoreThenTerm);
  if (scored.length > limit) scored.length = Math.max(0, limit);
  return scored;
}

function byScoreThenTerm(a: Keyword, b: Keyword): number {
  return b.score - a.score || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0);
}
