/**
 * Per-language stemming with natural's Porter/Snowball stemmers, memoized in a bounded cache.
 * Pure (the cache only changes speed, never results). Stemming runs on the lowercase word
 * (stemmers know their accents) and the stem is then folded, so "réponses" and "reponses" meet.
 */
import enStemmer from "natural/lib/natural/stemmers/porter_stemmer";
import deStemmer from "natural/lib/natural/stemmers/porter_stemmer_de";
import esStemmer from "natural/lib/natural/stemmers/porter_stemmer_es";
import frStemmer from "natural/lib/natural/stemmers/porter_stemmer_fr";
import itStemmer from "natural/lib/natural/stemmers/porter_stemmer_it";
import nlStemmer from "natural/lib/natural/stemmers/porter_stemmer_nl";
import noStemmer from "natural/lib/natural/stemmers/porter_stemmer_no";
import ptStemmer from "natural/lib/natural/stemmers/porter_stemmer_pt";
import ruStemmer from "natural/lib/natural/stemmers/porter_stemmer_ru";
import svStemmer from "natural/lib/natural/stemmers/porter_stemmer_sv";
import ukStemmer from "natural/lib/natural/stemmers/porter_stemmer_uk";
import { foldWord } from "./text-cleanup";

const STEMMERS: Record<string, { stem(token: string): string }> = {
  en: enStemmer, de: deStemmer, es: esStemmer, fr: frStemmer, it: itStemmer, nl: nlStemmer,
  no: noStemmer, pt: ptStemmer, ru: ruStemmer, sv: svStemmer, uk: ukStemmer,
};

/** Languages natural can stem. Others keep the folded word as their term. */
export const STEMMED_LANGUAGES: ReadonlySet<string> = new Set(Object.keys(STEMMERS));

export interface Stemmer {
  /** folded stem of a lowercase word; the folded word itself when the language has no stemmer */
  stem(lowerWord: string): string;
  /** entries currently cached (for tests) */
  readonly cacheSize: number;
}

/**
 * A memoizing stemmer for `language`. The cache holds at most `maxEntries` words; when full it
 * is cleared and refilled (cheaper than LRU bookkeeping, and vocabularies are Zipfian, so the hot
 * words come back within a few documents). `maxEntries: 0` disables memoization.
 */
export function makeStemmer(language: string, maxEntries = 50_000): Stemmer {
  const stemmer = STEMMERS[language];
  const cache = new Map<string, string>();
  const compute = (w: string): string => {
    // Very long tokens (ids, base64) are not words: skip the stemmer, which is slow on them.
    if (!stemmer || w.length > 40 || w.length < 3) return foldWord(w);
    const s = stemmer.stem(w);
    return foldWord(s.length > 0 ? s : w);
  };
  return {
    stem(w) {
      if (maxEntries <= 0) return compute(w);
      let s = cache.get(w);
      if (s === undefined) {
        s = compute(w);
        if (cache.size >= maxEntries) cache.clear();
        cache.set(w, s);
      }
      return s;
    },
    get cacheSize() {
      return cache.size;
    },
  };
}
