/**
 * One-pass tokenizer for every script: words (with inner apostrophes, so "don't" stays one
 * token), URLs, @handles, #hashtags, emoji, emoticons and clause punctuation. Pure.
 *
 * Why not natural's WordTokenizer/AggressiveTokenizer: they split on every non-letter, so URLs,
 * handles, hashtags, emoji and contractions ("don't" -> "don", "t") are lost, and they are a
 * second pass over the text. Chinese and Japanese words are split afterwards with
 * `Intl.Segmenter` (see analyzer.ts), which natural cannot do.
 *
 * Two implementations with the same output: `regexRawTokens` (one Unicode regex, the
 * definition) and `rawTokens`, a hand-written scanner for ASCII text that hands every position it
 * is not sure about (any non-ASCII character, URL starts, emoticon and punctuation starts) to the
 * same regex anchored at that position. Tests compare the two on a table of inputs and on random
 * strings.
 */

export type TokenKind = "word" | "url" | "handle" | "hashtag" | "emoji" | "emoticon" | "break";

export interface RawToken {
  kind: TokenKind;
  /** the text as written (for a break: the punctuation run, or "\n") */
  text: string;
}

// Order matters: URL before word, emoticon before punctuation.
const TOKEN =
  /(https?:\/\/[^\s<>"]+|www\.[^\s<>"]+\.[^\s<>"]+)|(@[\p{L}\p{N}_.]*[\p{L}\p{N}_])|(#[\p{L}\p{N}_]+)|([\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}]+)*)|(\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}|\p{Emoji_Modifier})*)|(>?[:;=]['-]?(?:[()\]\[]+|[dDpP/\\|*oO3sS@$](?![\p{L}\p{N}]))|[(\[][:;=](?![\p{L}\p{N}])|<\/?3+|\^_*\^|-_+-|>\.<)|([.!?;:,…。！？；，、]+|\n)/gu;
/** the same pattern, matching only at lastIndex */
const TOKEN_AT = new RegExp(TOKEN.source, "uy");
const URL_TAIL = /[.,;:!?)\]]+$/;

const KINDS: TokenKind[] = ["url", "handle", "hashtag", "word", "emoji", "emoticon", "break"];

function tokenOf(m: RegExpExecArray): RawToken | undefined {
  for (let g = 1; g <= 7; g++) {
    const s = m[g];
    if (s !== undefined) return { kind: KINDS[g - 1]!, text: g === 1 ? s.replace(URL_TAIL, "") : s };
  }
  return undefined;
}

/** Tokens of `text` in order, by the regex alone (the reference for `rawTokens`). */
export function regexRawTokens(text: string): RawToken[] {
  const out: RawToken[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    const t = tokenOf(m);
    if (t) out.push(t);
  }
  return out;
}

/**
 * What may start at an ASCII character code: 0 nothing (skip it), 1 a word (letter or digit),
 * 2 ask the regex (URL, emoticon and punctuation starts, "-" for "-_-"), 3 "@", 4 "#", 5 ".", "!", "?" or ","
 * (a break unless an emoticon could start there), 6 "\n".
 */
const START = new Uint8Array(128);
for (let c = 48; c <= 57; c++) START[c] = 1;
for (let c = 65; c <= 90; c++) START[c] = 1;
for (let c = 97; c <= 122; c++) START[c] = 1;
for (const ch of ">:;=([<^-") START[ch.charCodeAt(0)] = 2;
START[64] = 3;
START[35] = 4;
for (const ch of ".!?,") START[ch.charCodeAt(0)] = 5;
START[10] = 6;
/** ASCII characters that may continue a break run: . ! ? ; : , */
const BREAK_CHAR = new Uint8Array(128);
for (const ch of ".!?;:,") BREAK_CHAR[ch.charCodeAt(0)] = 1;

const isAlnum = (c: number) => c < 128 && START[c] === 1;
const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/** Token kinds as small integers, in `KINDS` order (what `TokenSpans.kinds` holds). */
export const K_URL = 0;
export const K_HANDLE = 1;
export const K_HASHTAG = 2;
export const K_WORD = 3;
export const K_EMOJI = 4;
export const K_EMOTICON = 5;
export const K_BREAK = 6;

/**
 * Tokens as spans of the text, in reusable arrays (no string or object per token): token i is
 * `text.slice(starts[i], ends[i])` of kind `KINDS[kinds[i]]` (a URL's span already excludes its
 * trailing punctuation). `length` is the token count; entries past it are stale.
 */
export interface TokenSpans {
  kinds: number[];
  starts: number[];
  ends: number[];
  length: number;
}

export function makeTokenSpans(): TokenSpans {
  return { kinds: [], starts: [], ends: [], length: 0 };
}

function push(out: TokenSpans, kind: number, start: number, end: number): void {
  const i = out.length++;
  out.kinds[i] = kind;
  out.starts[i] = start;
  out.ends[i] = end;
}

/**
 * Tokens of `text` in order. Whitespace and other symbols are dropped. Same output as
 * `regexRawTokens`, several times faster on mostly-ASCII text.
 */
export function rawTokens(text: string): RawToken[] {
  const spans = makeTokenSpans();
  tokenSpans(text, spans);
  const out: RawToken[] = new Array(spans.length);
  for (let i = 0; i < spans.length; i++) out[i] = { kind: KINDS[spans.kinds[i]!]!, text: text.slice(spans.starts[i], spans.ends[i]) };
  return out;
}

/** Fills `out` (reset first) with the tokens of `text`; see `TokenSpans` and `rawTokens`. */
export function tokenSpans(text: string, out: TokenSpans): void {
  out.length = 0;
  const n = text.length;
  let p = 0;
  while (p < n) {
    const c = text.charCodeAt(p);
    if (c >= 128) {
      p = viaRegex(text, p, out);
      continue;
    }
    const kind = START[c]!;
    if (kind === 0) {
      p++;
      continue;
    }
    if (kind === 1) {
      // a URL start goes to the regex (it is the first alternative)
      if ((c === 104 || c === 119) && (text.startsWith("http://", p) || text.startsWith("https://", p) || text.startsWith("www.", p))) {
        p = viaRegex(text, p, out);
        continue;
      }
      let e = p + 1;
      while (e < n && isAlnum(text.charCodeAt(e))) e++;
      let ok = true;
      for (;;) {
        if (e >= n) break;
        const d = text.charCodeAt(e);
        if (d >= 128) {
          ok = false; // an accented letter, a mark, a curly apostrophe...: the regex decides
          break;
        }
        if (d !== 39 || e + 1 >= n) break;
        const f = text.charCodeAt(e + 1);
        if (f >= 128) {
          ok = false;
          break;
        }
        if (!isLetter(f)) break;
        e += 2;
        while (e < n && isLetter(text.charCodeAt(e))) e++;
      }
      if (!ok) {
        p = viaRegex(text, p, out);
        continue;
      }
      push(out, K_WORD, p, e);
      p = e;
      continue;
    }
    if (kind === 3 || kind === 4) {
      // @handle: [\p{L}\p{N}_.]*[\p{L}\p{N}_] ; #hashtag: [\p{L}\p{N}_]+
      let e = p + 1;
      let lastGood = -1;
      let ok = true;
      while (e < n) {
        const d = text.charCodeAt(e);
        if (d >= 128) {
          ok = false;
          break;
        }
        if (isAlnum(d) || d === 95) lastGood = e;
        else if (!(kind === 3 && d === 46)) break;
        e++;
      }
      if (!ok) {
        p = viaRegex(text, p, out);
        continue;
      }
      if (lastGood < 0) {
        p++; // "@" or "#" alone: nothing starts here
        continue;
      }
      const end = kind === 3 ? lastGood + 1 : e;
      push(out, kind === 3 ? K_HANDLE : K_HASHTAG, p, end);
      p = end;
      continue;
    }
    if (kind === 5) {
      let e = p + 1;
      while (e < n) {
        const d = text.charCodeAt(e);
        if (d >= 128 || BREAK_CHAR[d] !== 1) break;
        e++;
      }
      if (e < n && text.charCodeAt(e) >= 128) {
        p = viaRegex(text, p, out); // "…" and CJK punctuation continue a run
        continue;
      }
      push(out, K_BREAK, p, e);
      p = e;
      continue;
    }
    if (kind === 6) {
      push(out, K_BREAK, p, p + 1);
      p++;
      continue;
    }
    p = viaRegex(text, p, out);
  }
}

/** Token starting exactly at `p` by the regex, pushed to `out`; returns where to go on. */
function viaRegex(text: string, p: number, out: TokenSpans): number {
  TOKEN_AT.lastIndex = p;
  const m = TOKEN_AT.exec(text);
  if (m === null) {
    // nothing starts here: step over one code point
    const c = text.charCodeAt(p);
    if (c >= 0xd800 && c <= 0xdbff && p + 1 < text.length) {
      const d = text.charCodeAt(p + 1);
      if (d >= 0xdc00 && d <= 0xdfff) return p + 2;
    }
    return p + 1;
  }
  for (let g = 1; g <= 7; g++) {
    const s = m[g];
    if (s !== undefined) {
      push(out, g - 1, p, p + (g === 1 ? s.replace(URL_TAIL, "").length : s.length));
      break;
    }
  }
  return TOKEN_AT.lastIndex > p ? TOKEN_AT.lastIndex : p + 1;
}
