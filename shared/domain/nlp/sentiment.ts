/**
 * Rule-based sentiment over the analyzer's word stream. Pure.
 *
 * Each sentiment-bearing word or phrase contributes a valence (AFINN units, see lexicons.ts),
 * adjusted by the rules natural's SentimentAnalyzer lacks:
 * - negation opens a window of NEGATION_WINDOW words (contractions like "don't" count) that
 *   ends early at clause punctuation or a contrast word; a negated positive flips to 75% of its
 *   strength ("not good" is nearly as bad as "bad"), a negated negative to 40% ("not bad" is only
 *   mildly good). Dutch and German also negate backwards ("werkt niet", "hilft nicht").
 * - words that mean nothing alone but are bad when negated ("didn't work", "never arrived")
 * - intensifiers and dampeners multiply the next sentiment word within a few words
 * - contrast ("but"): what came before weighs half, what follows 1.5 times
 * - ALL CAPS words weigh 1.4 times when the text is not all caps; each "!" (up to 4) adds 0.3
 *   in the direction of the sum
 * - emoji and emoticons (variants mean what their base means: skin tones, ":-)))", "<333"), and
 *   support and review phrases ("still waiting", "thanks for the quick help", "top notch")
 * - word forms the vocabulary lacks: stretched words and modifiers ("sooo goood"), a dropped g
 *   ("lovin"), superlatives and -ier comparatives ("happiest", "funnier")
 * The sum S maps to [-1, 1] as S / sqrt(S^2 + 15) (VADER's normalisation, Hutto & Gilbert 2014),
 * and the label is neutral within ±LABEL_THRESHOLD (VADER's ±0.05 convention).
 */
import type { Sentiment } from "../models";
import type { Lexicon } from "./lexicons";
import type { SentimentRules } from "./sentiment-rules";
import { emojiValenceOf } from "./lexicons";

/**
 * What sentiment needs to know about one word of a language, computed once per distinct word
 * (the analyzer caches it next to the word's stem) so the per-text loop does no lookups.
 */
export interface WordSentiment {
  folded: string;
  lower: string;
  /** valence from our words, the vocabulary, its stems, or clitic/elongation fallbacks */
  valence: number | undefined;
  negator: boolean;
  contrast: boolean;
  /** single-word intensifier (>1) or dampener (<1) */
  modifier: number | undefined;
  /** two-word modifiers starting with this word, by second word */
  modifiers2: ReadonlyMap<string, number> | undefined;
  /** neutral alone, negative when negated */
  negatable: boolean;
  /** support phrases starting with this word, longest first */
  phrases: ReadonlyArray<{ rest: string[]; valence: number; text: string }> | undefined;
}

/** One element of the stream the analyzer hands over. */
export type SentimentItem =
  | { kind: "word"; word: WordSentiment; caps: boolean }
  | { kind: "emoji"; text: string }
  | { kind: "break"; text: string };

export interface SentimentResources {
  lexicon: Lexicon;
  rules: SentimentRules;
  emoji: ReadonlyMap<string, number>;
  /** folded stem of a lowercase word in this language (memoized by the caller) */
  stem(lower: string): string;
}

/** Everything sentiment needs about one word (see WordSentiment). */
export function wordSentimentOf(folded: string, lower: string, res: SentimentResources): WordSentiment {
  const { rules } = res;
  return {
    folded,
    lower,
    valence: valenceOf(folded, lower, res),
    negator: rules.negators.has(folded) || (folded.endsWith("n't") && folded.length > 3),
    contrast: rules.contrast.has(folded),
    modifier: modifierOf(folded, rules),
    modifiers2: rules.modifiers2.get(folded),
    negatable: rules.negatable.has(folded),
    phrases: rules.phrases.get(folded),
  };
}

export const NEGATION_WINDOW = 3;
const MODIFIER_REACH = 3;
const NEGATED_POSITIVE = -0.75;
const NEGATED_NEGATIVE = -0.4;
const NEGATABLE_VALENCE = -1.5;
const CAPS_FACTOR = 1.4;
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.5;
const EXCLAMATION_STEP = 0.3;
const NORMALISATION_ALPHA = 15;
export const LABEL_THRESHOLD = 0.05;
const MAX_DRIVERS = 5;
const STEM_MATCH_WEIGHT = 0.5;

interface Contribution {
  surface: string;
  value: number;
  /** index of the word item it came from (for backward negation) */
  at: number;
  negated: boolean;
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
  const d = degreeBaseValence(folded, res);
  if (d !== undefined) return d;
  ELONGATED.lastIndex = 0;
  if (ELONGATED.test(folded)) {
    for (const keep of ["$1$1", "$1"]) {
      const f = folded.replace(ELONGATED, keep);
      const e = lookup(f, lower.replace(ELONGATED, keep), res);
      if (e !== undefined) return e * 1.2;
    }
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

function negate(v: number): number {
  return v * (v > 0 ? NEGATED_POSITIVE : NEGATED_NEGATIVE);
}

/**
 * Sentiment of an item stream, or `null` when it holds no words and no emoji (nothing to judge).
 * Never NaN: every valence is finite and the normalisation denominator is at least sqrt(15).
 */
export function sentimentOf(
  items: readonly SentimentItem[],
  emoji: ReadonlyMap<string, number>,
  negatesBackward: boolean,
): Sentiment | null {
  const contributions: Contribution[] = [];
  let sawContent = false;
  let negLeft = 0;
  let negSurface = "";
  let mod = 1;
  let modLeft = 0;
  let contrast = 1;
  let exclamations = 0;
  let clauseStart = 0;

  let words = 0;
  let capsWords = 0;
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    if (it.kind === "word") {
      words++;
      if (it.caps) capsWords++;
    }
  }
  const shouting = words > 0 && capsWords / words > 0.5;

  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    if (it.kind === "break") {
      exclamations += countExclamations(it.text);
      negLeft = 0;
      mod = 1;
      modLeft = 0;
      clauseStart = i + 1;
      continue;
    }
    sawContent = true;
    if (it.kind === "emoji") {
      const v = emojiValenceOf(it.text, emoji);
      if (v !== undefined) add(contributions, it.text, v * contrast, i, false);
      continue;
    }
    const w = it.word;

    // 1. support phrases, longest first
    if (w.phrases) {
      let matched = false;
      for (const c of w.phrases) {
        let ok = true;
        for (let k = 0; k < c.rest.length; k++) {
          if (wordAt(items, i + 1 + k)?.folded !== c.rest[k]) {
            ok = false;
            break;
          }
        }
        if (!ok) continue;
        let v = c.valence * mod;
        const negated = negLeft > 0;
        if (negated) v = negate(v);
        add(contributions, negated ? `${negSurface} ${c.text}` : c.text, v * contrast, i, negated);
        i += c.rest.length;
        negLeft = Math.max(0, negLeft - 1 - c.rest.length);
        mod = 1;
        modLeft = 0;
        matched = true;
        break;
      }
      if (matched) continue;
    }

    // 2. two-word modifiers ("kind of", "not very") come before negators
    if (w.modifiers2) {
      const m2 = w.modifiers2.get(wordAt(items, i + 1)?.folded ?? "");
      if (m2 !== undefined) {
        mod *= m2;
        modLeft = MODIFIER_REACH;
        i += 1;
        continue;
      }
    }

    // 3. negators
    if (w.negator) {
      if (negatesBackward) negateBackward(contributions, items, i, clauseStart, w.lower);
      negLeft = NEGATION_WINDOW;
      negSurface = w.lower;
      continue;
    }

    // 4. contrast
    if (w.contrast) {
      for (const c of contributions) c.value *= BEFORE_CONTRAST;
      contrast = AFTER_CONTRAST;
      negLeft = 0;
      mod = 1;
      modLeft = 0;
      continue;
    }

    // 5. single-word modifiers, when the next word carries sentiment
    if (w.modifier !== undefined) {
      const n = wordAt(items, i + 1);
      if (n && (n.valence ?? 0) !== 0) {
        mod *= w.modifier;
        modLeft = MODIFIER_REACH;
        if (negLeft > 0) negLeft--;
        continue;
      }
    }

    // 6. sentiment words
    let v = w.valence;
    const negated = negLeft > 0;
    if (negated && w.negatable && (v === undefined || negate(v) > NEGATABLE_VALENCE)) {
      add(contributions, `${negSurface} ${w.lower}`, NEGATABLE_VALENCE * mod * contrast, i, true);
      mod = 1;
      modLeft = 0;
    } else if (v !== undefined && v !== 0) {
      if (negated) v = negate(v);
      if (it.caps && !shouting) v *= CAPS_FACTOR;
      v *= mod;
      add(contributions, negated ? `${negSurface} ${w.lower}` : w.lower, v * contrast, i, negated);
      mod = 1;
      modLeft = 0;
    }
    if (negLeft > 0) negLeft--;
    if (modLeft > 0 && --modLeft === 0) mod = 1;
  }

  if (!sawContent) return null;
  let sum = 0;
  for (const c of contributions) sum += c.value;
  if (sum !== 0 && exclamations > 0) sum += Math.sign(sum) * Math.min(exclamations, 4) * EXCLAMATION_STEP;
  const raw = sum / Math.sqrt(sum * sum + NORMALISATION_ALPHA);
  const score = Number.isFinite(raw) ? Math.max(-1, Math.min(1, Math.round(raw * 1e4) / 1e4)) : 0;
  const label = score >= LABEL_THRESHOLD ? "positive" : score <= -LABEL_THRESHOLD ? "negative" : "neutral";
  return { score, label, drivers: driversOf(contributions) };
}

function wordAt(items: readonly SentimentItem[], i: number): WordSentiment | undefined {
  const n = items[i];
  return n !== undefined && n.kind === "word" ? n.word : undefined;
}

function add(contributions: Contribution[], surface: string, value: number, at: number, negated: boolean): void {
  if (value !== 0 && Number.isFinite(value)) contributions.push({ surface, value, at, negated });
}

/** V2 languages put the negator after the verb: flip what the previous words of the clause said. */
function negateBackward(
  contributions: Contribution[],
  items: readonly SentimentItem[],
  at: number,
  clauseStart: number,
  negSurface: string,
): void {
  for (let j = at - 1; j >= Math.max(clauseStart, at - NEGATION_WINDOW); j--) {
    const prev = wordAt(items, j);
    if (!prev) continue;
    let c: Contribution | undefined;
    for (const x of contributions) if (x.at === j) c = x;
    if (c) {
      if (!c.negated) {
        c.value = negate(c.value);
        c.negated = true;
        c.surface = `${c.surface} ${negSurface}`;
      }
    } else if (prev.negatable) {
      contributions.push({ surface: `${prev.lower} ${negSurface}`, value: NEGATABLE_VALENCE, at: j, negated: true });
    }
  }
}

function driversOf(contributions: readonly Contribution[]): string[] {
  if (contributions.length === 0) return [];
  if (contributions.length === 1) return Math.abs(contributions[0]!.value) >= 0.3 ? [contributions[0]!.surface] : [];
  // sum per surface (few contributions per text: a linear scan, no Map)
  const texts: string[] = [];
  const sums: number[] = [];
  for (const c of contributions) {
    const k = texts.indexOf(c.surface);
    if (k >= 0) sums[k]! += c.value;
    else {
      texts.push(c.surface);
      sums.push(c.value);
    }
  }
  const order: number[] = [];
  for (let k = 0; k < texts.length; k++) if (Math.abs(sums[k]!) >= 0.3) order.push(k);
  // insertion sort: by |sum| descending, then text
  for (let a = 1; a < order.length; a++) {
    const k = order[a]!;
    let b = a;
    while (b > 0 && driverBefore(k, order[b - 1]!, texts, sums)) {
      order[b] = order[b - 1]!;
      b--;
    }
    order[b] = k;
  }
  const out: string[] = [];
  for (let r = 0; r < order.length && r < MAX_DRIVERS; r++) out.push(texts[order[r]!]!);
  return out;
}

function driverBefore(a: number, b: number, texts: readonly string[], sums: readonly number[]): boolean {
  const d = Math.abs(sums[b]!) - Math.abs(sums[a]!);
  if (d !== 0) return d < 0;
  return texts[a]! < texts[b]!;
}

function countExclamations(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 33 || c === 0xff01) n++;
  }
  return n;
}
