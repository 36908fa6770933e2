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
 * idf() remembered per df for the last docCount seen: texts keep asking for the same few small
 * df values (term frequencies are Zipfian), and a log costs more than the lookup. A new docCount
 * starts a new generation instead of clearing the table.
 */
const IDF_MEMO_SIZE = 4096;
const idfMemo = new Float64Array(IDF_MEMO_SIZE);
const idfMemoGeneration = new Int32Array(IDF_MEMO_SIZE);
let idfGeneration = 0;
let idfDocCount = Number.NaN;
function memoIdf(docCount: number, df: number): number {
  if (!(df >= 0 && df < IDF_MEMO_SIZE && (df | 0) === df)) return idf(docCount, df);
  if (docCount !== idfDocCount) {
    idfDocCount = docCount;
    idfGeneration++;
  }
  if (idfMemoGeneration[df] === idfGeneration) return idfMemo[df]!;
  idfMemoGeneration[df] = idfGeneration;
  return (idfMemo[df] = idf(docCount, df));
}

/**
 * 0: not a keyword (URLs, numbers, emoji, 1-letter words); 1: keyword but not part of phrases
 * (@handles, #hashtags); 2: word, may join phrases. ASCII words take a fast path.
 */
function kindOf(token: string): 0 | 1 | 2 {
  const c = token.charCodeAt(0);
  if (c >= 97 && c <= 122) {
    if (token.length < 2) return 0;
    // h, w: maybe a URL (startsWith, not a regex: this runs for every token)
    if ((c === 104 || c === 119) && (token.startsWith("http://") || token.startsWith("https://") || token.startsWith("www."))) return 0;
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
  return keywordsAndTermsOf(analysis, corpus, limit, undefined);
}

/**
 * keywordsOf, and when `terms` is given, the text's distinct tokens in first-seen order pushed to
 * it (the same dedupe serves both; enrichmentOf stores both).
 */
export function keywordsAndTermsOf(analysis: TextAnalysis, corpus: CorpusStats, limit: number, terms: string[] | undefined): Keyword[] {
  const { tokens, surfaces, positions } = analysis;
  const n = tokens.length;
  if (n === 0 || (limit <= 0 && !terms)) return [];
  // per-call scratch arrays, reused across calls (a re-entrant call gets its own)
  const s = scratch !== undefined && scratch.cap >= n ? scratch : makeScratch(Math.max(n, 64));
  scratch = undefined;
  const { kinds, idfs, cands, starts, lens, tfs, idfMeans, scores, firsts } = s;
  let count = 0;
  // distinct tokens: index of the first occurrence of each, in text order
  let distinct = 0;
  // token -> distinct index; short texts find repeats by a linear scan instead
  const seen = n > LINEAR_SCAN_MAX ? new Map<string, number>() : undefined;
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    let d = -1;
    if (seen) d = seen.get(t) ?? -1;
    else {
      for (let k = 0; k < distinct; k++) {
        if (tokens[firsts[k]!] === t) {
          d = k;
          break;
        }
      }
    }
    if (d >= 0) {
      // a repeat: same kind and candidate as its first occurrence
      const first = firsts[d]!;
      const c = cands[first]!;
      kinds[i] = kinds[first]!;
      cands[i] = c;
      if (c >= 0) {
        tfs[c]!++;
        idfs[i] = idfMeans[c]!;
      }
      continue;
    }
    seen?.set(t, distinct);
    firsts[distinct++] = i;
    terms?.push(t);
    const kind = kindOf(t);
    kinds[i] = kind;
    cands[i] = -1;
    if (kind === 0) continue;
    const v = memoIdf(corpus.docCount, corpus.df(t));
    idfs[i] = v;
    cands[i] = count;
    starts[count] = i;
    lens[count] = 1;
    tfs[count] = 1;
    idfMeans[count] = v;
    count++;
  }
  if (limit <= 0) {
    scratch = s;
    return [];
  }
  const firstPhrase = count;
  for (let i = 0; i < n; i++) {
    if (kinds[i] !== 2) continue;
    let idfSum = idfs[i]!;
    for (let len = 2; len <= 3; len++) {
      const j = i + len - 1;
      if (j >= n || kinds[j] !== 2 || positions[j] !== positions[j - 1]! + 1) break;
      idfSum += idfs[j]!;
      let dup = -1;
      // a phrase can only repeat when its first term does
      if (tfs[cands[i]!]! > 1) {
        for (let c = firstPhrase; c < count && dup < 0; c++) {
          if (lens[c] !== len) continue;
          let same = true;
          for (let k = 0; k < len && same; k++) same = tokens[starts[c]! + k] === tokens[i + k];
          if (same) dup = c;
        }
      }
      if (dup >= 0) tfs[dup]!++;
      else {
        starts[count] = i;
        lens[count] = len;
        tfs[count] = 1;
        idfMeans[count] = (idfSum / len) * PHRASE_BONUS;
        count++;
      }
    }
  }
  for (let c = 0; c < count; c++) {
    const tf = tfs[c]!;
    // most candidates occur once: 1 + ln 1 is exactly 1, no log needed
    scores[c] = Math.round((tf === 1 ? idfMeans[c]! : (1 + Math.log(tf)) * idfMeans[c]!) * 1e4) / 1e4;
  }
  // top `limit` by score, ties by term: insertion into a small sorted list (no closures, and
  // term strings are built for the winners only)
  // (Array.prototype.splice costs more than the rest of the selection on short texts)
  const top = s.top.length > limit ? s.top : (s.top = new Int32Array(limit + 1));
  let size = 0;
  for (let c = 0; c < count; c++) {
    let at = size;
    while (at > 0 && before(c, top[at - 1]!, scores, tokens, starts, lens)) at--;
    if (at >= limit) continue;
    for (let k = size < limit ? size : limit - 1; k > at; k--) top[k] = top[k - 1]!;
    top[at] = c;
    if (size < limit) size++;
  }
  const out: Keyword[] = new Array(size);
  for (let r = 0; r < size; r++) {
    const c = top[r]!;
    out[r] = { term: joined(tokens, starts[c]!, lens[c]!), surface: joined(surfaces, starts[c]!, lens[c]!), score: scores[c]! };
  }
  scratch = s;
  return out;
}

interface Scratch {
  cap: number;
  kinds: Uint8Array;
  idfs: Float64Array;
  cands: Int32Array;
  /** candidates (at most 3 per token): start index, length, tf, mean idf, score */
  starts: Int32Array;
  lens: Int32Array;
  tfs: Int32Array;
  idfMeans: Float64Array;
  scores: Float64Array;
  /** first occurrence of each distinct token */
  firsts: Int32Array;
  /** the current top candidates, best first */
  top: Int32Array;
}
let scratch: Scratch | undefined;
function makeScratch(cap: number): Scratch {
  return {
    cap,
    kinds: new Uint8Array(cap),
    idfs: new Float64Array(cap),
    cands: new Int32Array(cap),
    starts: new Int32Array(3 * cap),
    lens: new Int32Array(3 * cap),
    tfs: new Int32Array(3 * cap),
    idfMeans: new Float64Array(3 * cap),
    scores: new Float64Array(3 * cap),
    firsts: new Int32Array(cap),
    top: new Int32Array(11),
  };
}

const LINEAR_SCAN_MAX = 24;

/**
 * candidate a ranks before b: higher score, then smaller term. Terms are compared token by token
 * without joining them: keyword tokens hold no character at or below " ", so "a b" < "ab" exactly
 * when the token "a" is a proper prefix of "ab", as the joined strings would compare.
 */
function before(a: number, b: number, scores: Float64Array, tokens: readonly string[], starts: Int32Array, lens: Int32Array): boolean {
  const d = scores[a]! - scores[b]!;
  if (d !== 0) return d > 0;
  const sa = starts[a]!;
  const sb = starts[b]!;
  const la = lens[a]!;
  const lb = lens[b]!;
  for (let k = 0; k < la && k < lb; k++) {
    const x = tokens[sa + k]!;
    const y = tokens[sb + k]!;
    if (x === y) continue;
    if (y.startsWith(x)) return true; // x is a proper prefix of y
    if (x.startsWith(y)) return false;
    return x < y;
  }
  return la < lb;
}

function joined(words: readonly string[], start: number, len: number): string {
  if (len === 1) return words[start]!;
  let s = words[start]!;
  for (let k = 1; k < len; k++) s += ` ${words[start + k]}`;
  return s;
}
