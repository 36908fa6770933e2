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

import { MAX_PACKED, packedHash, withLength } from "./surface-table";

export type TokenKind = "word" | "url" | "handle" | "hashtag" | "emoji" | "emoticon" | "break";

export interface RawToken {
  kind: TokenKind;
  /** the text as written (for a break: the punctuation run, or "\n") */
  text: string;
}

// Order matters: URL before word, emoticon before punctuation.
const TOKEN =
  /(https?:\/\/[^\s<>"]+|www\.[^\s<>"]+\.[^\s<>"]+)|(@[\p{L}\p{N}_.]*[\p{L}\p{N}_])|(#[\p{L}\p{N}_]+)|([\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}]+)*)|(\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}|\p{Emoji_Modifier})*)|(>?[:;=]['-]?(?:[()\][]+|(?:[dD]+|[pP]+|[oO]+|[sS]+|[/\\|*3@$])(?![\p{L}\p{N}]))|[([][:;=](?![\p{L}\p{N}])|<\/?3+|\^(?:_+|\.)?\^|-(?:_+|\.+)-|>(?:\.|_+)<|;_+;)|([.!?;:,…。！？；，、]+|\n)/gu;
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
 * trailing punctuation). For a word, handle or hashtag of at most 12 ASCII characters that the
 * scanner read itself, `keys[3i..3i+2]` hold the span packed as SurfaceTable keys it and
 * `hashes[i]` its SurfaceTable hash; otherwise `hashes[i]` is 0. `length` is the token count;
 * entries past it are stale.
 */
export interface TokenSpans {
  kinds: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
  hashes: Int32Array;
  keys: Int32Array;
  length: number;
  /**
   * the scanner read the whole text itself, so every character is ASCII (it hands any other
   * character, and some ASCII starts, to the regex); false says nothing either way
   */
  ascii: boolean;
}

export function makeTokenSpans(capacity = 64): TokenSpans {
  return {
    kinds: new Int32Array(capacity),
    starts: new Int32Array(capacity),
    ends: new Int32Array(capacity),
    hashes: new Int32Array(capacity),
    keys: new Int32Array(capacity * 3),
    length: 0,
    ascii: true,
  };
}

function push(out: TokenSpans, kind: number, start: number, end: number, hash: number): number {
  const i = out.length++;
  if (i === out.kinds.length) grow(out);
  out.kinds[i] = kind;
  out.starts[i] = start;
  out.ends[i] = end;
  out.hashes[i] = hash;
  return i;
}

/** push with the packed key of an ASCII span (k0 without the length); longer spans get hash 0 */
function pushPacked(out: TokenSpans, kind: number, start: number, end: number, k0: number, k1: number, k2: number): void {
  const len = end - start;
  if (len > MAX_PACKED) {
    push(out, kind, start, end, 0);
    return;
  }
  const head = withLength(k0, len);
  const i = push(out, kind, start, end, packedHash(head, k1, k2));
  out.keys[3 * i] = head;
  out.keys[3 * i + 1] = k1;
  out.keys[3 * i + 2] = k2;
}

function grow(out: TokenSpans): void {
  const cap = out.kinds.length * 2;
  for (const key of ["kinds", "starts", "ends", "hashes"] as const) {
    const bigger = new Int32Array(cap);
    bigger.set(out[key]);
    out[key] = bigger;
  }
  const keys = new Int32Array(cap * 3);
  keys.set(out.keys);
  out.keys = keys;
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
  out.ascii = true;
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
      // (the second letter first: most words starting with h or w are not URLs)
      if (
        (c === 104 && text.charCodeAt(p + 1) === 116 && (text.startsWith("http://", p) || text.startsWith("https://", p))) ||
        (c === 119 && text.charCodeAt(p + 1) === 119 && text.startsWith("www.", p))
      ) {
        p = viaRegex(text, p, out);
        continue;
      }
      // the word's SurfaceTable key (up to 12 characters, 7 bits each) is packed on the way,
      // so the table finds it without reading its characters again
      let k0 = c;
      let k1 = 0;
      let k2 = 0;
      let e = p + 1;
      let d = 0;
      while (e < n && isAlnum((d = text.charCodeAt(e)))) {
        const k = e - p;
        if (k < 4) k0 |= d << (7 * k);
        else if (k < 8) k1 |= d << (7 * (k - 4));
        else if (k < 12) k2 |= d << (7 * (k - 8));
        e++;
      }
      let ok = true;
      for (;;) {
        if (e >= n) break;
        // here d is text[e], the character after the word so far
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
        d = 39; // the apostrophe, then the letters after it
        for (;;) {
          const k = e - p;
          if (k < 4) k0 |= d << (7 * k);
          else if (k < 8) k1 |= d << (7 * (k - 4));
          else if (k < 12) k2 |= d << (7 * (k - 8));
          e++;
          if (e >= n || !isLetter((d = text.charCodeAt(e)))) break;
        }
      }
      if (!ok) {
        p = viaRegex(text, p, out);
        continue;
      }
      pushPacked(out, K_WORD, p, e, k0, k1, k2);
      p = e;
      continue;
    }
    if (kind === 3 || kind === 4) {
      // @handle: [\p{L}\p{N}_.]*[\p{L}\p{N}_] ; #hashtag: [\p{L}\p{N}_]+
      let e = p + 1;
      let lastGood = -1;
      let ok = true;
      // packed key as for words, kept as of lastGood (a handle's trailing dots are not in it)
      let k0 = c;
      let k1 = 0;
      let k2 = 0;
      let g0 = k0;
      let g1 = 0;
      let g2 = 0;
      while (e < n) {
        const d = text.charCodeAt(e);
        if (d >= 128) {
          ok = false;
          break;
        }
        if (isAlnum(d) || d === 95) lastGood = e;
        else if (!(kind === 3 && d === 46)) break;
        const k = e - p;
        if (k < 4) k0 |= d << (7 * k);
        else if (k < 8) k1 |= d << (7 * (k - 4));
        else if (k < 12) k2 |= d << (7 * (k - 8));
        if (lastGood === e) {
          g0 = k0;
          g1 = k1;
          g2 = k2;
        }
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
      pushPacked(out, kind === 3 ? K_HANDLE : K_HASHTAG, p, end, g0, g1, g2);
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
      push(out, K_BREAK, p, e, 0);
      p = e;
      continue;
    }
    if (kind === 6) {
      push(out, K_BREAK, p, p + 1, 0);
      p++;
      continue;
    }
    p = viaRegex(text, p, out);
  }
}

/** Token starting exactly at `p` by the regex, pushed to `out`; returns where to go on. */
function viaRegex(text: string, p: number, out: TokenSpans): number {
  out.ascii = false;
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
      push(out, g - 1, p, p + (g === 1 ? s.replace(URL_TAIL, "").length : s.length), 0);
      break;
    }
  }
  return TOKEN_AT.lastIndex > p ? TOKEN_AT.lastIndex : p + 1;
}
