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

/**
 * Top `limit` keywords (default 10), best first.
 * - term score: (1 + ln tf) × idf(term)
 * - phrase of n = 2..3 terms at consecutive positions (see TextAnalysis.positions): (1 + ln tf)
 *   × mean idf of its terms × 1.1, so a phrase ranks just above its average part and a domain
 *   phrase ("refund request") above the common words around it. Phrase df is not needed.
 * `term` is the space-joined stems (what search matches), `surface` the first readable form.
 * Ties break on term, so results are deterministic. Scores are rounded to 4 decimals.
 *
 * Implementation note: candidates are kept as (start, length) over the token array and only the
 * winners get their strings built; a short text has few candidates, so dedupe is a linear scan.
 */
export function keywordsOf(analysis: TextAnalysis, corpus: CorpusStats, limit = 10): Keyword[] {
  const { tokens, surfaces, positions } = analysis;
  const n = tokens.length;
  if (n === 0 || limit <= 0) return [];
  const kinds = new Uint8Array(n);
  const idfs = new Float64Array(n);
  // candidates: start index, length, tf, mean idf
  const starts: number[] = [];
  const lens: number[] = [];
  const tfs: number[] = [];
  const idfMeans: number[] = [];
  const unigram = new Map<string, number>(); // term -> candidate index
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    const kind = kindOf(t);
    kinds[i] = kind;
    if (kind === 0) continue;
    const c = unigram.get(t);
    if (c !== undefined) {
      tfs[c]!++;
      idfs[i] = idfMeans[c]!;
    } else {
      const v = idf(corpus.docCount, corpus.df(t));
      idfs[i] = v;
      unigram.set(t, starts.length);
      starts.push(i);
      lens.push(1);
      tfs.push(1);
      idfMeans.push(v);
    }
  }
  const firstPhrase = starts.length;
  for (let i = 0; i < n; i++) {
    if (kinds[i] !== 2) continue;
    let idfSum = idfs[i]!;
    for (let len = 2; len <= 3; len++) {
      const j = i + len - 1;
      if (j >= n || kinds[j] !== 2 || positions[j] !== positions[j - 1]! + 1) break;
      idfSum += idfs[j]!;
      let dup = -1;
      for (let c = firstPhrase; c < starts.length && dup < 0; c++) {
        if (lens[c] !== len) continue;
        let same = true;
        for (let k = 0; k < len && same; k++) same = tokens[starts[c]! + k] === tokens[i + k];
        if (same) dup = c;
      }
      if (dup >= 0) tfs[dup]!++;
      else {
        starts.push(i);
        lens.push(len);
        tfs.push(1);
        idfMeans.push((idfSum / len) * PHRASE_BONUS);
      }
    }
  }
  const count = starts.length;
  const scores = new Float64Array(count);
  const order: number[] = new Array(count);
  for (let c = 0; c < count; c++) {
    scores[c] = Math.round((1 + Math.log(tfs[c]!)) * idfMeans[c]! * 1e4) / 1e4;
    order[c] = c;
  }
  const terms: Array<string | undefined> = new Array(count);
  const termOf = (c: number): string => (terms[c] ??= joined(tokens, starts[c]!, lens[c]!));
  order.sort((a, b) => {
    const d = scores[b]! - scores[a]!;
    if (d !== 0) return d;
    const ta = termOf(a);
    const tb = termOf(b);
    return ta < tb ? -1 : ta > tb ? 1 : 0;
  });
  const out: Keyword[] = [];
  for (let r = 0; r < count && r < limit; r++) {
    const c = order[r]!;
    out.push({ term: termOf(c), surface: joined(surfaces, starts[c]!, lens[c]!), score: scores[c]! });
  }
  return out;
}

function joined(words: readonly string[], start: number, len: number): string {
  if (len === 1) return words[start]!;
  let s = words[start]!;
  for (let k = 1; k < len; k++) s += ` ${words[start + k]}`;
  return s;
}
