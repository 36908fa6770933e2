/**
 * One-pass tokenizer for every script: words (with inner apostrophes, so "don't" stays one
 * token), URLs, @handles, #hashtags, emoji, emoticons and clause punctuation. Pure.
 *
 * Why not natural's WordTokenizer/AggressiveTokenizer: they split on every non-letter, so URLs,
 * handles, hashtags, emoji and contractions ("don't" -> "don", "t") are lost, and they are a
 * second pass over the text. Chinese and Japanese words are split afterwards with
 * `Intl.Segmenter` (see analyzer.ts), which natural cannot do.
 */

export type TokenKind = "word" | "url" | "handle" | "hashtag" | "emoji" | "emoticon" | "break";

export interface RawToken {
  kind: TokenKind;
  /** the text as written (for a break: the punctuation run, or "\n") */
  text: string;
}

// Order matters: URL before word, emoticon before punctuation.
const TOKEN =
  /(https?:\/\/[^\s<>"]+|www\.[^\s<>"]+\.[^\s<>"]+)|(@[\p{L}\p{N}_.]*[\p{L}\p{N}_])|(#[\p{L}\p{N}_]+)|([\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}]+)*)|(\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}|\p{Emoji_Modifier})*)|(>?[:;=]['-]?(?:[()\]\[]+|[dDpP/\\|*oO3](?![\p{L}\p{N}]))|[(\[][:;=](?![\p{L}\p{N}])|<\/?3+|\^_*\^)|([.!?;:,…。！？；，、]+|\n)/gu;

const KINDS: TokenKind[] = ["url", "handle", "hashtag", "word", "emoji", "emoticon", "break"];

/** Tokens of `text` in order. Whitespace and other symbols are dropped. */
export function rawTokens(text: string): RawToken[] {
  const out: RawToken[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    for (let g = 1; g <= 7; g++) {
      const s = m[g];
      if (s !== undefined) {
        out.push({ kind: KINDS[g - 1]!, text: g === 1 ? s.replace(/[.,;:!?)\]]+$/, "") : s });
        break;
      }
    }
  }
  return out;
}
