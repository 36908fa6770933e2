/**
 * What sentiment needs to know about each word of a language, computed once per distinct word
 * (the analyzer memoizes it): its valence, found in our words, the vocabulary, by stem or through
 * the word forms the vocabulary lacks (clitics, laughter, a dropped g, -est/-ier/-ly forms,
 * stretched letters), and its role in the rules (negator, modifier, contrast, phrase start...).
 * Pure.
 */
import type { Lexicon } from "./lexicons";
import { NEGATION_WINDOW, type SentimentRules } from "./sentiment-rules";

export { NEGATION_WINDOW };
const STEM_MATCH_WEIGHT = 0.5;
/** writers stretch the words they mean ("sooo goood") */
const ELONGATION_WEIGHT = 1.2;

/**
 * What sentiment needs to know about one word of a language, computed once per distinct word
 * (the analyzer caches it next to the word's stem) so the per-text loop does no lookups. It is
 * also the word's item in the stream (one as written, one in capitals), so the loop reads one
 * object per word rather than an item pointing to the word's facts.
 */
export interface WordSentiment {
  kind: "word";
  /** written in capitals */
  caps: boolean;
  folded: string;
  lower: string;
  /** valence from our words, the vocabulary, its stems, or clitic/elongation fallbacks */
  valence: number | undefined;
  /** words this negator's window spans (0: not a negator) */
  negates: number;
  contrast: boolean;
  /** single-word intensifier (>1) or dampener (<1) */
  modifier: number | undefined;
  /** two-word modifiers starting with this word, by second word */
  modifiers2: ReadonlyMap<string, number> | undefined;
  /** neutral alone, negative when negated */
  negatable: boolean;
  /** a negation ends at this word ("stop") */
  endsNegation: boolean;
  /** a negator that "so"/"such" turn into emphasis ("never") */
  emphaticNegator: boolean;
  /** turns such a negation into emphasis ("so") */
  emphatic: boolean;
  /** a comparative ("better", "happier"): not flipped by negation, see rules */
  comparative: boolean;
  /** a copula negation ("isn't"), which does flip comparatives */
  copulaNegator: boolean;
  /** support phrases starting with this word, longest first */
  phrases: ReadonlyArray<{ rest: string[]; valence: number; text: string }> | undefined;
}

/** One element of the stream the analyzer hands over. */
export type SentimentItem =
  | WordSentiment
  | { kind: "emoji"; text: string }
  | { kind: "break"; text: string };

/**
 * The stream of one text: `items[0, length)` (the array is the analyzer's, reused from text to
 * text, so entries past `length` are stale), each word's folded form in `folded` (undefined for
 * emoji and breaks; phrases and two-word modifiers match on it, so a plain word's item can be
 * the shared PLAIN_WORD), and how many items are words and words in caps (counted while the
 * analyzer builds it).
 */
export interface SentimentStream {
  items: SentimentItem[];
  folded: Array<string | undefined>;
  length: number;
  words: number;
  capsWords: number;
}

export interface SentimentResources {
  lexicon: Lexicon;
  rules: SentimentRules;
  emoji: ReadonlyMap<string, number>;
  /** folded stem of a lowercase word in this language (memoized by the caller) */
  stem(lower: string): string;
}

/** Everything sentiment needs about one word as written in lowercase (see WordSentiment). */
export function wordSentimentOf(folded: string, lower: string, res: SentimentResources): WordSentiment {
  const { rules } = res;
  return {
    kind: "word",
    caps: false,
    folded,
    lower,
    valence: valenceOf(folded, lower, res),
    negates: rules.negators.get(folded) ?? (folded.endsWith("n't") && folded.length > 3 ? NEGATION_WINDOW : 0),
    contrast: rules.contrast.has(folded),
    modifier: modifierOf(folded, rules),
    modifiers2: rules.modifiers2.get(folded),
    negatable: rules.negatable.has(folded),
    endsNegation: rules.negationEnders.has(folded),
    emphaticNegator: rules.emphaticNegators.has(folded),
    emphatic: rules.emphaticWords.has(folded),
    comparative: rules.comparatives.has(folded) || (rules.comparatives.size > 0 && isIerComparative(folded, res)),
    copulaNegator: rules.copulaNegators.has(folded),
    phrases: rules.phrases.get(folded),
  };
}

/**
 * A word that plays no part in sentiment (no valence, no rule): one shared item for all of them,
 * as written and in capitals, so the scoring loop reads an object it already has in cache.
 */
export function isPlain(w: WordSentiment): boolean {
  return (
    (w.valence === undefined || w.valence === 0) &&
    w.negates === 0 &&
    !w.contrast &&
    w.modifier === undefined &&
    w.modifiers2 === undefined &&
    !w.negatable &&
    !w.endsNegation &&
    !w.emphaticNegator &&
    !w.emphatic &&
    !w.comparative &&
    !w.copulaNegator &&
    w.phrases === undefined
  );
}

const PLAIN: WordSentiment = {
  kind: "word",
  caps: false,
  folded: "",
  lower: "",
  valence: undefined,
  negates: 0,
  contrast: false,
  modifier: undefined,
  modifiers2: undefined,
  negatable: false,
  endsNegation: false,
  emphaticNegator: false,
  emphatic: false,
  comparative: false,
  copulaNegator: false,
  phrases: undefined,
};
export const PLAIN_WORD: WordSentiment = PLAIN;
export const PLAIN_WORD_CAPS: WordSentiment = inCapitals(PLAIN);

/** The same word written in capitals (same fields in the same order: one object shape). */
export function inCapitals(w: WordSentiment): WordSentiment {
  return {
    kind: "word",
    caps: true,
    folded: w.folded,
    lower: w.lower,
    valence: w.valence,
    negates: w.negates,
    contrast: w.contrast,
    modifier: w.modifier,
    modifiers2: w.modifiers2,
    negatable: w.negatable,
    endsNegation: w.endsNegation,
    emphaticNegator: w.emphaticNegator,
    emphatic: w.emphatic,
    comparative: w.comparative,
    copulaNegator: w.copulaNegator,
    phrases: w.phrases,
  };
}

const CLITIC = /'(?:s|ll|re|ve|d|m)$/;
const ELONGATED = /(\p{L})\1{2,}/gu;
/** written laughter of any length: haha, hahahah, hehehe, jajaja, kkkk (pt), lolol, bwahaha */
const LAUGHTER = /^(?:bw)?(?:a?(?:ha|he|ja|je|hi|ji){2,}h?|lo(?:lo)+l?|k{4,}|rsrs(?:rs)*)$/;
const LAUGHTER_VALENCE = 1.5;

function lookup(folded: string, lower: string, res: SentimentResources): number | undefined {
  const own = res.rules.words.get(folded);
  if (own !== undefined) return own;
  const v = res.lexicon.word.get(folded);
  if (v !== undefined) return v;
  if (folded.length >= 4) {
    const st = res.lexicon.stem.get(res.stem(lower));
    // a stem match is weaker evidence (it can join a noun to an adjective): half weight
    if (st !== undefined) return st * STEM_MATCH_WEIGHT;
  }
  return undefined;
}

/**
 * Valence of a word: our support words, then the vocabulary, then the vocabulary by stem. A word
 * with a clitic ("love's", "it'll") is looked up without it; an elongated word ("sooo goooood")
 * is looked up with its letter runs shortened to two, then to one, and weighs 1.2 times (writers
 * stretch words they mean).
 */
function valenceOf(folded: string, lower: string, res: SentimentResources): number | undefined {
  const v = lookup(folded, lower, res);
  if (v !== undefined) return v;
  if (folded.includes("'")) {
    const bare = folded.replace(CLITIC, "");
    if (bare !== folded) return lookup(bare, lower.replace(CLITIC, ""), res);
  }
  if (LAUGHTER.test(folded)) return LAUGHTER_VALENCE;
  const g = DROPPED_G.exec(folded);
  if (g) {
    const ing = `${g[1]}g`;
    const v2 = res.rules.words.get(ing) ?? res.lexicon.word.get(ing);
    if (v2 !== undefined) return v2;
  }
  const d = degreeBaseValence(folded, res) ?? adverbBaseValence(folded, res);
  if (d !== undefined) return d;
  ELONGATED.lastIndex = 0;
  if (ELONGATED.test(folded)) {
    for (const keep of ["$1$1", "$1"]) {
      const f = folded.replace(ELONGATED, keep);
      const e = lookup(f, lower.replace(ELONGATED, keep), res);
      if (e !== undefined) return e * ELONGATION_WEIGHT;
    }
  }
  // a last letter written twice ("lovee", "cutee", "sadd"): a short stretch, when the word
  // without it is in the vocabulary (real words ending in a double letter were found above)
  const n = folded.length;
  if (n >= 4 && folded.charCodeAt(n - 1) === folded.charCodeAt(n - 2)) {
    const f = folded.slice(0, -1);
    const e = res.rules.words.get(f) ?? res.lexicon.word.get(f);
    if (e !== undefined) return e * ELONGATION_WEIGHT;
  }
  return undefined;
}

/** a modifier, also when stretched ("sooo", "reallyyy"): letter runs shortened to two, then one */
function modifierOf(folded: string, rules: SentimentRules): number | undefined {
  const m = rules.modifiers.get(folded);
  if (m !== undefined) return m;
  ELONGATED.lastIndex = 0;
  if (!ELONGATED.test(folded)) return undefined;
  return rules.modifiers.get(folded.replace(ELONGATED, "$1$1")) ?? rules.modifiers.get(folded.replace(ELONGATED, "$1"));
}

/**
 * "lovin", "rockin'": a dropped final g; the -ing form's valence when the vocabulary has it
 * (only for words of 5+ letters ending in "in", so "main" or "begin" never match).
 */
const DROPPED_G = /^(\p{L}{3,}in)'?$/u;

/**
 * Superlatives ("happiest", "coolest", "nicest", "saddest") and -ier comparatives ("happier",
 * "funnier") of a vocabulary adjective take its valence (Porter does not strip -est or -er). Plain
 * -er comparatives are left alone: too many are nouns ("danger", "lover", "cheaper" is praise).
 */
/** -est words that are not superlatives of a sentiment adjective */
const NOT_DEGREE: ReadonlySet<string> = new Set(["latest"]);

function degreeBaseValence(folded: string, res: SentimentResources): number | undefined {
  if (folded.length < 5 || NOT_DEGREE.has(folded)) return undefined;
  const bases: string[] = [];
  if (folded.endsWith("iest")) bases.push(`${folded.slice(0, -4)}y`);
  else if (folded.endsWith("ier")) bases.push(`${folded.slice(0, -3)}y`);
  else if (folded.endsWith("est")) {
    const stem = folded.slice(0, -3);
    bases.push(stem, `${stem}e`);
    const n = stem.length;
    if (n >= 3 && stem[n - 1] === stem[n - 2]) bases.push(stem.slice(0, -1)); // saddest -> sad
  } else return undefined;
  for (const b of bases) {
    if (b.length < 3) continue;
    const v = res.rules.words.get(b) ?? res.lexicon.word.get(b);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** "happier", "funnier": an -ier form whose -y base is in the vocabulary */
function isIerComparative(folded: string, res: SentimentResources): boolean {
  if (folded.length < 5 || !folded.endsWith("ier")) return false;
  const base = `${folded.slice(0, -3)}y`;
  return res.rules.words.has(base) || res.lexicon.word.has(base);
}

/**
 * -ly adverbs of vocabulary adjectives take their valence ("sadly", "gladly", "beautifully",
 * "angrily", "comfortably", "horribly"); Porter stems them apart ("sadli" vs "sad"). Degree
 * adverbs ("extremely", "seriously") are modifiers, not opinions, and are left to them.
 */
function adverbBaseValence(folded: string, res: SentimentResources): number | undefined {
  if (folded.length < 5 || !folded.endsWith("ly") || res.rules.modifiers.has(folded)) return undefined;
  const stem = folded.slice(0, -2);
  const bases = [stem];
  if (stem.endsWith("i")) bases.push(`${stem.slice(0, -1)}y`); // happily -> happy
  if (stem.endsWith("ab") || stem.endsWith("ib")) bases.push(`${stem}le`); // comfortably -> comfortable
  for (const b of bases) {
    if (b.length < 3) continue;
    const v = res.rules.words.get(b) ?? res.lexicon.word.get(b);
    if (v !== undefined) return v;
  }
  return undefined;
}
