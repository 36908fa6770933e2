/**
 * Turning raw item text into plain text, and folding words for matching. Pure.
 */
import he from "he";

const LOOKS_LIKE_HTML = /<\/?[a-z!][^>]*>|&(?:#\d+|#x[0-9a-f]+|[a-z]+\d*);/i;
const SCRIPT_OR_STYLE = /<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const COMMENT = /<!--[\s\S]*?-->/g;
/** Block-level tags end a sentence for our purposes (a `<p>` or `<br>` is where a clause stops). */
const BLOCK_TAG = /<\/?(?:p|div|br|li|ul|ol|tr|td|th|h[1-6]|blockquote|pre|hr|table|section|article)\b[^>]*>/gi;
const ANY_TAG = /<\/?[a-z][^>]*>/gi;

/**
 * Plain text from a helpdesk body or a tweet: drops `<script>`/`<style>` blocks and comments,
 * turns block tags into line breaks (clause boundaries), strips the other tags and decodes HTML
 * entities (`&amp;` in tweets too). Text without markup is returned unchanged.
 */
export function plainTextOf(text: string): string {
  // markup needs a "<" or an "&": most texts are answered without running the regex
  if ((!text.includes("<") && !text.includes("&")) || !LOOKS_LIKE_HTML.test(text)) return text;
  let out = text;
  if (out.includes("<")) {
    out = out.replace(SCRIPT_OR_STYLE, " ").replace(COMMENT, " ").replace(BLOCK_TAG, "\n").replace(ANY_TAG, " ");
  }
  return he.decode(out);
}

const NON_ASCII = /[^\u0000-\u007f]/;
const COMBINING = /\p{M}+/gu;
const SPECIAL_FOLDS: Record<string, string> = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "’": "'", "ı": "i" };
const SPECIAL = /[ßæœøłđðþ’ı]/g;

/**
 * Lowercase, accent-folded form used for matching ("Café" -> "cafe", "Straße" -> "strasse",
 * "don’t" -> "don't"). Scripts without Latin accents (CJK, Cyrillic) pass through lowercased.
 * ASCII input takes a fast path.
 */
export function foldWord(word: string): string {
  const lower = word.toLowerCase();
  if (!NON_ASCII.test(lower)) return lower;
  return lower.normalize("NFD").replace(COMBINING, "").replace(SPECIAL, (c) => SPECIAL_FOLDS[c] ?? c).normalize("NFC");
}
