/**
 * What rising terms count per document, and how to get it from a stored item. Pure.
 */
import type { Keyword } from "../models";
import { nearDuplicateKeyOf, type NearDuplicateInput } from "./near-duplicate";

/** A phrase keyword: `term` is its stems joined by one space, `surface` a readable form. */
export interface PhraseRef {
  term: string;
  surface: string;
}

/** One document of a period, as rising terms sees it. */
export interface TermDoc {
  /** near-duplicate key ({@link nearDuplicateKeyOf}); documents sharing it count once */
  dupKey: string;
  /** distinct stemmed tokens (`Enrichment.terms`) */
  terms: readonly string[];
  /** 2-3 word phrases among the item's keywords (those whose `term` has a space) */
  phrases?: readonly PhraseRef[];
  /** readable forms of single terms, keyed by term (`Enrichment.keywords` without a space) */
  surfaces?: Readonly<Record<string, string>>;
}

/** The fields of a stored item that {@link termDocOf} reads. */
export interface TermDocInput extends NearDuplicateInput {
  enrichment: { tokens: readonly string[]; terms: readonly string[]; keywords: readonly Keyword[] };
}

/**
 * The {@link TermDoc} of a stored item: its near-duplicate key, `enrichment.terms`, its phrase
 * keywords, and the surfaces its single-term keywords carry (other terms show as their stem).
 * Phrases exist only among an item's top keywords (10 by default), so phrase counts are lower
 * bounds of "documents containing the phrase" in both periods alike.
 */
export function termDocOf(item: TermDocInput): TermDoc {
  const phrases: PhraseRef[] = [];
  const surfaces: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const k of item.enrichment.keywords) {
    if (k.term.includes(" ")) phrases.push({ term: k.term, surface: k.surface });
    else if (!Object.hasOwn(surfaces, k.term)) surfaces[k.term] = k.surface;
  }
  return { dupKey: nearDuplicateKeyOf(item), terms: item.enrichment.terms, phrases, surfaces };
}

const URL_TOKEN = /^(?:https?:\/\/|www\.)/;
const NUMERIC = /^[\p{N}.,:/-]+$/u;
const LETTER = /\p{L}/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * Whether a single term may be reported as rising. The same rule as keyword candidates in
 * `../nlp/keywords.ts`, plus the retweet marker: no URLs, numbers, emoji or other letterless
 * tokens, no one-letter words (a single CJK character is a word), and not `rt`. `@handles` and
 * `#hashtags` of two or more characters are kept: a handle or hashtag on the rise is news.
 */
export function isCandidateTerm(term: string): boolean {
  if (term === "rt" || URL_TOKEN.test(term)) return false;
  const c = term.charCodeAt(0);
  if (c === 64 || c === 35) return term.length >= 2; // "@", "#"
  if (NUMERIC.test(term) || !LETTER.test(term)) return false;
  return term.length >= 2 || CJK.test(term);
}
