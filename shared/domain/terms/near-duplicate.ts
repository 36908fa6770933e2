/**
 * Near-duplicate keys: one key for texts that say the same words, so retweets and copy-paste
 * templates count once in rising terms. Pure.
 */
import { hash64 } from "./hash";

/** The item fields a near-duplicate key reads (a stored item satisfies it). */
export interface NearDuplicateInput {
  kind: string;
  enrichment: { tokens: readonly string[] };
  /** raw text; read only when the item has no tokens at all (see tier 3 below) */
  text?: string;
}

const URL_TOKEN = /^(?:https?:\/\/|www\.)/;
const LETTER = /\p{L}/u;
const DIGITS = /\p{N}+/gu;
/** A token with digits and at most this many other characters is a quantity: "1st", "10k", "5pm", "30min". */
const MAX_QUANTITY_SUFFIX = 3;
/** The retweet marker as the analyzer leaves it ("RT" → "rt", not a stop word). */
const RETWEET_MARKER = "rt";

const isHandle = (t: string): boolean => t.length > 1 && t.charCodeAt(0) === 64; // "@"
const isUrl = (t: string): boolean => URL_TOKEN.test(t);

/**
 * The words of a text that decide whether it is a near duplicate: its stored tokens minus
 * `@handles`, URLs, the retweet marker `rt`, and tokens without a letter (numbers, emoji,
 * emoticons), and quantities — a token with digits and at most 3 other characters ("1st", "10k",
 * "5pm", "30min"). Digits inside a longer word are dropped ("order123" → "order"), and a
 * hashtag counts as its word ("#refund" → "refund"). Exported for tests and for callers that
 * want to show why two items collapsed.
 */
export function nearDuplicateWords(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    if (t === RETWEET_MARKER || isHandle(t) || isUrl(t) || !LETTER.test(t)) continue;
    let w = t.charCodeAt(0) === 35 ? t.slice(1) : t; // "#"
    const letters = w.replace(DIGITS, "");
    if (letters.length !== w.length && letters.length <= MAX_QUANTITY_SUFFIX) continue; // "1st", "10k", "5pm"
    w = letters;
    if (w.length > 0) out.push(w);
  }
  return out;
}

/**
 * The tokens kept when a text has no words at all (only handles, emoji, numbers): everything but
 * URLs and the retweet marker together with the handle it credits ("RT @bob: @united 😡" keeps
 * "@united", "😡"), so two emoji-only replies to different accounts stay distinct.
 */
function fallbackTokens(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === RETWEET_MARKER) {
      if (i + 1 < tokens.length && isHandle(tokens[i + 1]!)) i++;
      continue;
    }
    if (!isUrl(t)) out.push(t);
  }
  return out;
}

/** Lowercase letters and digits of a raw text, runs of anything else as one space. */
function normalizedText(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/https?:\/\/\S+|www\.\S+/g, " ")
    .replace(/@[\p{L}\p{N}_.]+/gu, " ")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * A key shared by near-duplicate items of the same `kind`: `"<kind>:<16 hex digits>"`, opaque.
 *
 * Two items are near duplicates when they have the same kind and, in order, the same
 * {@link nearDuplicateWords}: the same stemmed, stop-word-free words once `@handles`, URLs,
 * numbers and quantities ("1st", "10k"), emoji, punctuation, case, accents, hashtag signs and
 * the retweet marker `rt` are set aside. So all of these share one key:
 * - a tweet and its retweets: "X is down" · "RT @alice: X is down https://t.co/a1" ·
 *   "RT @bob: x is DOWN!!! https://t.co/b2";
 * - a template sent to different people: "@united my flight 123 was cancelled 😡" ·
 *   "@delta my flight 456 was cancelled";
 * - inflection and stop words: "refunds are late" · "refund late" (the analyzer stems and
 *   drops stop words before this sees the tokens).
 *
 * Exact on that word sequence, on purpose: it is one hash per item, stable across processes and
 * releases of this file, and never merges texts that differ in a word. Templates with a filled-in
 * word (a customer's name, a product) therefore stay distinct; that is a known limit (a MinHash
 * over shingles would catch them at the price of a tuning threshold and false merges).
 *
 * Tiers, first non-empty wins:
 * 1. the words above;
 * 2. a text with no words (only handles, emoji, numbers) keys on its tokens minus URLs and the
 *    retweet credit, so "@united 😡" and "@delta 😡" stay two items;
 * 3. an item with no tokens at all (empty, or only stop words) keys on its lowercased
 *    letters-and-digits `text` with handles and URLs removed;
 * 4. otherwise the kind's empty key: all empty items of a kind count as one document.
 * Items of different kinds never share a key (a tweet and a ticket with the same words are two
 * voices, not amplification).
 */
export function nearDuplicateKeyOf(item: NearDuplicateInput): string {
  const tokens = item.enrichment.tokens;
  const words = nearDuplicateWords(tokens);
  let basis: string;
  if (words.length > 0) basis = `w\u0000${words.join("\u0000")}`;
  else {
    const rest = fallbackTokens(tokens);
    if (rest.length > 0) basis = `t\u0000${rest.join("\u0000")}`;
    else {
      const text = item.text === undefined ? "" : normalizedText(item.text);
      basis = text.length > 0 ? `x\u0000${text}` : "e";
    }
  }
  return `${item.kind}:${hash64(basis)}`;
}
