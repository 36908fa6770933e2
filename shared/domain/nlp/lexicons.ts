/**
 * Word valences per language from natural's sentiment vocabularies, on one scale (AFINN units,
 * about -5..5). Pure; each language's table is built on first use and kept for the process.
 *
 * Which natural vocabulary per language, and why:
 * - en: AFINN-165 alone (word list made for short social text, graded -5..5). Adding pattern-en
 *   or senticon-en was tried: their many weakly-graded adjectives turn neutral requests into
 *   opinions, which cost more on 3-class social text than their coverage gained on reviews.
 * - es, pt: natural's AFINN translations, with senticon-es filling Spanish lemmas.
 * - nl, fr, de, it: pattern (adjectives with polarity -1..1, scaled by 4).
 * - ca, gl, eu: ML-SentiCon lemmas (-1..1, scaled by 4).
 * Entries with |valence| < 0.2 are dropped (pattern lists many neutral adjectives at 0.0).
 * After natural's vocabularies come our own general words where AFINN has gaps (en only, see
 * vocabulary-en.ts): sleepy, heartache, cuddle, slang and interjections.
 */
import SentimentAnalyzer from "natural/lib/natural/sentiment/SentimentAnalyzer";
import { makeStemmer } from "./stemming";
import { foldWord } from "./text-cleanup";
import { GENERAL_EN } from "./vocabulary-en";

/** natural's language and vocabulary, the factor to AFINN units, the least |valence| kept */
type Source = [naturalLanguage: string, type: "afinn" | "senticon" | "pattern", scale: number, minAbs?: number];

const SOURCES: Record<string, Source[]> = {
  en: [["English", "afinn", 1]],
  es: [["Spanish", "afinn", 1], ["Spanish", "senticon", 4]],
  pt: [["Portuguese", "afinn", 1]],
  nl: [["Dutch", "pattern", 4]],
  fr: [["French", "pattern", 4]],
  de: [["German", "pattern", 4]],
  it: [["Italian", "pattern", 4]],
  ca: [["Catalan", "senticon", 4]],
  gl: [["Galician", "senticon", 4]],
  eu: [["Basque", "senticon", 4]],
};

/** Our own general vocabulary per language, AFINN units, after natural's (first source wins). */
const OWN: Record<string, Readonly<Record<string, number>>> = { en: GENERAL_EN };

/** Languages with a sentiment vocabulary. */
export const SENTIMENT_LANGUAGES: ReadonlySet<string> = new Set(Object.keys(SOURCES));

const NOT_A_WORD = /^[^\p{L}]+$/u;

export interface Lexicon {
  /** valence of a folded single word, if the vocabularies have it */
  word: ReadonlyMap<string, number>;
  /**
   * mean valence of the vocabulary words sharing a stem, for inflections the vocabulary lacks
   * (pattern lists "slecht" but not "slechte"); only consulted when `word` misses
   */
  stem: ReadonlyMap<string, number>;
}

const built = new Map<string, Lexicon>();

/**
 * Valences for `language`, or `undefined` when natural has no vocabulary for it. Earlier sources
 * win over later ones; multiword senticon entries are skipped (phrases are ours, see rules).
 */
export function lexiconOf(language: string): Lexicon | undefined {
  const sources = SOURCES[language];
  if (!sources) return undefined;
  let lex = built.get(language);
  if (lex) return lex;
  const word = new Map<string, number>();
  const stemSum = new Map<string, [sum: number, n: number]>();
  const stemmer = makeStemmer(language, 0);
  const addWord = (key: string, v: number) => {
    const k = foldWord(key);
    if (word.has(k)) return;
    word.set(k, v);
    const st = stemmer.stem(key.toLowerCase());
    const acc = stemSum.get(st) ?? [0, 0];
    acc[0] += v;
    acc[1] += 1;
    stemSum.set(st, acc);
  };
  for (const [naturalLanguage, type, scale, minAbs = 0.2] of sources) {
    const vocabulary = new SentimentAnalyzer(naturalLanguage, null, type).vocabulary;
    for (const [key, raw] of Object.entries(vocabulary)) {
      const v = (typeof raw === "number" ? raw : Number.parseFloat(raw)) * scale;
      if (!Number.isFinite(v) || Math.abs(v) < minAbs || key.includes(" ") || NOT_A_WORD.test(key)) continue;
      addWord(key, v);
    }
  }
  for (const [key, v] of Object.entries(OWN[language] ?? {})) addWord(key, v);
  const stem = new Map<string, number>();
  for (const [st, [sum, n]] of stemSum) if (st.length >= 3 ) stem.set(st, sum / n);
  lex = { word, stem };
  built.set(language, lex);
  return lex;
}

/**
 * Emoji and emoticon valences, shared by every language (a 😡 means the same in Lisbon and Lyon).
 * Emoji come from natural's Spanish AFINN table (its emoji entries are language-independent),
 * completed with our own for faces and gestures common in support chats; emoticons are ours.
 */
export function emojiValences(): ReadonlyMap<string, number> {
  if (emojiTable) return emojiTable;
  const t = new Map<string, number>();
  const vocabulary = new SentimentAnalyzer("Spanish", null, "afinn").vocabulary;
  for (const [key, raw] of Object.entries(vocabulary)) {
    if (NOT_A_WORD.test(key) && typeof raw === "number") t.set(key.replace(/\uFE0F/g, ""), raw);
  }
  for (const [k, v] of Object.entries(OWN_EMOJI)) if (!t.has(k)) t.set(k, v);
  emojiTable = t;
  return t;
}
let emojiTable: Map<string, number> | undefined;

const SKIN_TONE = /[\u{1F3FB}-\u{1F3FF}]/gu;
const EMOTICON_NOSE = /^([>]?[:;=8x])[-o^']?(?=[()[\]dp/\\|*3])/;

/**
 * Valence of an emoji or emoticon signal (as the analyzer emits it: emoji without U+FE0F,
 * emoticons lowercased), or undefined. Variants mean what their base means: a skin tone does
 * not change a 👍, and a longer mouth or a nose does not change a smiley (":-)))" is ":)"), nor
 * does a longer heart ("<333" is "<3").
 */
export function emojiValenceOf(sig: string, table: ReadonlyMap<string, number>): number | undefined {
  const v = table.get(sig);
  if (v !== undefined) return v;
  const c = sig.charCodeAt(0);
  if (c >= 0x80) {
    const bare = sig.replace(SKIN_TONE, "");
    if (bare !== sig) return table.get(bare) ?? table.get(String.fromCodePoint(bare.codePointAt(0)!));
    // a ZWJ sequence or other combination: its first pictograph
    const first = String.fromCodePoint(sig.codePointAt(0)!);
    return first !== sig ? table.get(first) : undefined;
  }
  // emoticons: shorten a repeated mouth or heart, then drop the nose
  let e = sig.replace(/(.)\1+$/, "$1");
  const e1 = table.get(e);
  if (e1 !== undefined) return e1;
  e = e.replace(EMOTICON_NOSE, "$1");
  return table.get(e);
}

const OWN_EMOJI: Record<string, number> = {
  "😡": -3, "🤬": -4, "😠": -3, "😤": -2, "😞": -2, "😟": -2, "😢": -2, "😭": -2, "😩": -2, "😫": -2,
  "🙁": -2, "☹": -2, "😒": -2, "🙄": -2, "😑": -1, "😐": -1, "😕": -1, "🤦": -2, "🤦‍♂": -2, "🤦‍♀": -2,
  "👎": -2, "💩": -2, "😱": -2, "😖": -2, "😣": -2, "😔": -2, "😓": -1, "🤮": -3, "🤢": -2, "💔": -3,
  "😀": 2, "😃": 2, "😄": 2, "😁": 2, "😊": 2, "🙂": 1, "😉": 1, "😍": 3, "🥰": 3, "😘": 2, "🤩": 3,
  "👍": 2, "👏": 2, "🙌": 2, "🙏": 1, "💯": 2, "❤": 3, "💙": 3, "💚": 3, "💜": 3, "🎉": 2, "✅": 1,
  "⭐": 1, "🌟": 2, "😎": 1, "🤗": 2, "😆": 2, "😂": 1, "🤣": 1,
  ":)": 2, ":-)": 2, ":))": 2, ";)": 1, ";-)": 1, ":d": 2, ":-d": 2, "=)": 2, ":p": 1, ":-p": 1, "<3": 3,
  "^_^": 2, "^^": 2, ":(": -2, ":-(": -2, ":((": -2, ":'(": -2, "=(": -2, ":/": -1, ":-/": -1,
  ":\\": -1, ":|": -1, ":-|": -1, ":o": -0.5, ":-o": -0.5, ":*": 2, ":]": 2, "=]": 2, ":-]": 2, ":3": 2,
  "(:": 2, "(;": 1, "[:": 2, "):": -2, ">:(": -3, ">:[": -3, ":[": -2, "=[": -2, ":'-(": -2, "</3": -3,
  ";p": 1, ";d": 2, "=d": 2, "=p": 1, "^__^": 2, ":')": 2,
  // more faces and gestures
  "😅": 1, "🤪": 1, "🥳": 3, "🥺": -1, "😳": -1, "🥵": -1, "🥶": -1, "😥": -2, "🤭": 1, "😬": -1, "🥱": -1,
  "🤤": 1, "😵": -2, "🥴": -1, "🤧": -1, "🤒": -2, "🤕": -2, "🤞": 1, "🤘": 2, "🧡": 3, "🤍": 3, "🖤": 2,
  "🔥": 2, "😹": 2, "💪": 2, "👌": 2, "✌": 1, "😻": 3, "😿": -2, "😾": -2, "🙀": -1, "☺": 2, "😋": 2, "😇": 2,
  ":s": -1, ":-s": -1, ":@": -3, ":-@": -3, ":$": -1, "-_-": -1.5, ">.<": -1.5, ">_<": -1.5, ";_;": -2,
  "-.-": -1, "^.^": 2, ":>": 1, ";]": 1, "=/": -1, ">:)": 1, "d:": -2, "</33": -3,
};
