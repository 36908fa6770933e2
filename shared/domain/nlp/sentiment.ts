/**
 * Rule-based sentiment over the analyzer's word stream. Pure.
 *
 * Each sentiment-bearing word or phrase contributes a valence (AFINN units, see lexicons.ts and
 * word-sentiment.ts), adjusted by the rules natural's SentimentAnalyzer lacks:
 * - negation opens a window of NEGATION_WINDOW words (contractions like "don't" count; English
 *   "no" only reaches the next word) that ends early at clause punctuation or a contrast word; a
 *   negated positive flips to 75% of its strength ("not good" is nearly as bad as "bad"), a
 *   negated negative to 40% ("not bad" is only mildly good). Dutch and German also negate
 *   backwards ("werkt niet", "hilft nicht"). A negator with a valence of its own ("no") that
 *   negated nothing counts that valence ("No!!!", "oh no").
 * - negation is not always negation: it ends at "stop" ("can't stop smiling"), "never ... so"
 *   is emphasis ("never been so happy"), and a negated comparative is a superlative ("couldn't
 *   be better"), except after a negated copula ("it isn't better")
 * - words that mean nothing alone but are bad when negated ("didn't work", "never arrived")
 * - intensifiers and dampeners multiply the next sentiment word within a few words
 * - contrast ("but"): what came before weighs half, what follows 1.5 times
 * - ALL CAPS words weigh 1.4 times when the text is not all caps; each "!" (up to 4) adds 0.3
 *   in the direction of the sum
 * - emoji and emoticons, weighing 1.5 times (variants mean what their base means: skin tones,
 *   ":-)))", "<333"), and support and review phrases ("still waiting", "thanks for the quick
 *   help", "top notch")
 * The sum S maps to [-1, 1] as S / sqrt(S^2 + 15) (VADER's normalisation, Hutto & Gilbert 2014),
 * and the label is neutral within ±LABEL_THRESHOLD (VADER's ±0.05 convention).
 */
import type { Sentiment } from "../models";
import { emojiValenceOf } from "./lexicons";
import {
  NEGATION_WINDOW,
  PLAIN_WORD,
  PLAIN_WORD_CAPS,
  type SentimentItem,
  type SentimentStream,
  type WordSentiment,
} from "./word-sentiment";

export { NEGATION_WINDOW } from "./word-sentiment";

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
/**
 * Emoji and emoticons weigh 1.5 times their table valence: a face states the writer's feeling
 * about the whole message rather than about one thing in it (tweets' emoticons serve as their
 * sentiment labels in Go, Bhayani & Huang 2009), so ":)" (2) counts like "great" (3).
 */
const FACE_WEIGHT = 1.5;
/** "never so happy", "couldn't be better": VADER's factor for "never so" */
const EMPHATIC_NEGATION = 1.25;

function negate(v: number): number {
  return v * (v > 0 ? NEGATED_POSITIVE : NEGATED_NEGATIVE);
}

/**
 * Sentiment of an item stream, or `null` when it holds no words and no emoji (nothing to judge).
 * Never NaN: every valence is finite and the normalisation denominator is at least sqrt(15).
 */
export function sentimentOf(
  stream: Readonly<SentimentStream>,
  emoji: ReadonlyMap<string, number>,
  negatesBackward: boolean,
): Sentiment | null {
  // one scorer reused from text to text (a re-entrant call gets its own)
  const s = idle ?? new Scorer();
  idle = undefined;
  try {
    return s.score(stream, emoji, negatesBackward);
  } finally {
    idle = s;
  }
}
let idle: Scorer | undefined;

/** The state of one left-to-right pass; reset by `score`, so one instance serves every text. */
class Scorer {
  // contributions as parallel arrays (no object per contribution)
  private surfaces: string[] = [];
  private values: number[] = [];
  /** index of the item each came from (for backward negation) */
  private ats: number[] = [];
  private negatedFlags: boolean[] = [];
  private count = 0;

  private items: readonly SentimentItem[] = [];
  private folded: ReadonlyArray<string | undefined> = [];
  private length = 0;
  private contrast = 1;
  /** words of the open negation window still to go (0: none open) */
  private negLeft = 0;
  private negator: WordSentiment | undefined;
  /** the open negator's own valence while it has negated nothing ("no") */
  private negOwn = 0;
  private negAt = 0;
  private mod = 1;
  private modLeft = 0;
  // drivers' scratch: distinct surfaces, their sums, the ones strong enough in order
  private texts: string[] = [];
  private sums: number[] = [];
  private order: number[] = [];

  score(stream: Readonly<SentimentStream>, emoji: ReadonlyMap<string, number>, negatesBackward: boolean): Sentiment | null {
    const { items, length, words, capsWords } = stream;
    this.items = items;
    this.folded = stream.folded;
    this.length = length;
    this.count = 0;
    this.contrast = 1;
    this.negLeft = 0;
    this.negator = undefined;
    this.negOwn = 0;
    this.mod = 1;
    this.modLeft = 0;
    const shouting = words > 0 && capsWords / words > 0.5;
    let sawContent = false;
    let exclamations = 0;
    let clauseStart = 0;

    for (let i = 0; i < length; i++) {
      const it = items[i]!;
      if (it.kind === "break") {
        exclamations += countExclamations(it.text);
        this.endNegation();
        this.resetModifier();
        clauseStart = i + 1;
        continue;
      }
      sawContent = true;
      if (it.kind === "emoji") {
        const v = emojiValenceOf(it.text, emoji);
        if (v !== undefined) this.add(it.text, v * FACE_WEIGHT * this.contrast, i, false);
        continue;
      }
      const w = it;
      // a word with no part in sentiment only uses up the windows it is in (most words)
      if (w === PLAIN_WORD || w === PLAIN_WORD_CAPS) {
        this.stepNegation();
        if (this.modLeft > 0 && --this.modLeft === 0) this.mod = 1;
        continue;
      }

      // 1. support phrases, longest first
      if (w.phrases) {
        const skip = this.phrase(w, i);
        if (skip >= 0) {
          i += skip;
          continue;
        }
      }

      // 2. two-word modifiers ("kind of", "not very") come before negators
      if (w.modifiers2) {
        const m2 = w.modifiers2.get(this.foldedAt(i + 1) ?? "");
        if (m2 !== undefined) {
          this.mod *= m2;
          this.modLeft = MODIFIER_REACH;
          i += 1;
          continue;
        }
      }

      // 3. negators
      if (w.negates > 0) {
        this.endNegation();
        if (negatesBackward) this.negateBackward(i, clauseStart, w.lower);
        this.negLeft = w.negates;
        this.negator = w;
        this.negOwn = w.valence ?? 0;
        this.negAt = i;
        continue;
      }

      // 4. contrast
      if (w.contrast) {
        this.endNegation();
        for (let c = 0; c < this.count; c++) this.values[c]! *= BEFORE_CONTRAST;
        this.contrast = AFTER_CONTRAST;
        this.resetModifier();
        continue;
      }

      // 5. inside a negation: words it ends at ("can't stop"), and "never ... so" emphasis
      if (this.negLeft > 0) {
        if (w.endsNegation) {
          this.closeNegation();
          continue;
        }
        if (w.emphatic && this.negator!.emphaticNegator) {
          this.closeNegation();
          this.mod *= EMPHATIC_NEGATION;
          this.modLeft = MODIFIER_REACH;
          continue;
        }
      }

      // 6. single-word modifiers, when the next word carries sentiment
      if (w.modifier !== undefined && (this.wordAt(i + 1)?.valence ?? 0) !== 0) {
        this.mod *= w.modifier;
        this.modLeft = MODIFIER_REACH;
        this.stepNegation();
        continue;
      }

      // 7. sentiment words
      this.word(w, i, shouting);
      this.stepNegation();
      if (this.modLeft > 0 && --this.modLeft === 0) this.mod = 1;
    }
    this.endNegation();
    this.items = this.folded = []; // hold no text's items past the call

    if (!sawContent) return null;
    let sum = 0;
    for (let c = 0; c < this.count; c++) sum += this.values[c]!;
    if (sum !== 0 && exclamations > 0) sum += Math.sign(sum) * Math.min(exclamations, 4) * EXCLAMATION_STEP;
    const raw = sum / Math.sqrt(sum * sum + NORMALISATION_ALPHA);
    const score = Number.isFinite(raw) ? Math.max(-1, Math.min(1, Math.round(raw * 1e4) / 1e4)) : 0;
    const label = score >= LABEL_THRESHOLD ? "positive" : score <= -LABEL_THRESHOLD ? "negative" : "neutral";
    return { score, label, drivers: this.drivers() };
  }

  /** a phrase starting at word `w` (item i): how many more items it took, or -1 for none */
  private phrase(w: WordSentiment, i: number): number {
    for (const c of w.phrases!) {
      let ok = true;
      for (let k = 0; k < c.rest.length; k++) {
        if (this.foldedAt(i + 1 + k) !== c.rest[k]) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      let v = c.valence * this.mod;
      const negated = this.negLeft > 0;
      if (negated) {
        v = negate(v);
        this.negOwn = 0;
      }
      this.add(negated ? `${this.negator!.lower} ${c.text}` : c.text, v * this.contrast, i, negated);
      this.negLeft = Math.max(0, this.negLeft - 1 - c.rest.length);
      if (this.negLeft === 0) this.endNegation();
      this.resetModifier();
      return c.rest.length;
    }
    return -1;
  }

  /** a word that is none of negator, contrast or modifier: its valence, negated or not */
  private word(w: WordSentiment, i: number, shouting: boolean): void {
    let v = w.valence;
    const inWindow = this.negLeft > 0;
    // a negated comparative is a superlative ("couldn't be better"), unless the copula is negated
    const superlative = inWindow && w.comparative && !this.negator!.copulaNegator;
    const negated = inWindow && !superlative;
    if (superlative) {
      this.negOwn = 0;
      if (v !== undefined) v *= EMPHATIC_NEGATION;
    }
    if (negated && w.negatable && (v === undefined || negate(v) > NEGATABLE_VALENCE)) {
      this.add(`${this.negator!.lower} ${w.lower}`, NEGATABLE_VALENCE * this.mod * this.contrast, i, true);
      this.negOwn = 0;
      this.resetModifier();
    } else if (v !== undefined && v !== 0) {
      if (negated) {
        v = negate(v);
        this.negOwn = 0;
      }
      if (w.caps && !shouting) v *= CAPS_FACTOR;
      v *= this.mod;
      this.add(negated ? `${this.negator!.lower} ${w.lower}` : w.lower, v * this.contrast, i, negated);
      this.resetModifier();
    }
  }

  /** the folded form of item i when it is a word */
  private foldedAt(i: number): string | undefined {
    return i < this.length ? this.folded[i] : undefined;
  }

  private wordAt(i: number): WordSentiment | undefined {
    if (i >= this.length) return undefined;
    const n = this.items[i]!;
    return n.kind === "word" ? n : undefined;
  }

  private add(surface: string, value: number, at: number, negated: boolean): void {
    if (value === 0 || !Number.isFinite(value)) return;
    const c = this.count++;
    this.surfaces[c] = surface;
    this.values[c] = value;
    this.ats[c] = at;
    this.negatedFlags[c] = negated;
  }

  private resetModifier(): void {
    this.mod = 1;
    this.modLeft = 0;
  }

  /** one word of the window used up */
  private stepNegation(): void {
    if (this.negLeft > 0 && --this.negLeft === 0) this.endNegation();
  }

  /** the window ends; a negator that negated nothing says its own valence ("no") */
  private endNegation(): void {
    if (this.negOwn !== 0) this.add(this.negator!.lower, this.negOwn * this.contrast, this.negAt, false);
    this.closeNegation();
  }

  /** the window ends with nothing more to say */
  private closeNegation(): void {
    this.negOwn = 0;
    this.negLeft = 0;
  }

  /** V2 languages put the negator after the verb: flip what the previous words of the clause said. */
  private negateBackward(at: number, clauseStart: number, negSurface: string): void {
    for (let j = at - 1; j >= Math.max(clauseStart, at - NEGATION_WINDOW); j--) {
      const prev = this.wordAt(j);
      if (!prev) continue;
      let c = -1;
      for (let k = 0; k < this.count; k++) if (this.ats[k] === j) c = k;
      if (c >= 0) {
        if (!this.negatedFlags[c]) {
          this.values[c] = negate(this.values[c]!);
          this.negatedFlags[c] = true;
          this.surfaces[c] = `${this.surfaces[c]} ${negSurface}`;
        }
      } else if (prev.negatable) {
        const k = this.count++;
        this.surfaces[k] = `${prev.lower} ${negSurface}`;
        this.values[k] = NEGATABLE_VALENCE;
        this.ats[k] = j;
        this.negatedFlags[k] = true;
      }
    }
  }

  /** surfaces whose summed contribution is at least 0.3, strongest first (ties by text) */
  private drivers(): string[] {
    const n = this.count;
    if (n === 0) return [];
    if (n === 1) return Math.abs(this.values[0]!) >= 0.3 ? [this.surfaces[0]!] : [];
    // sum per surface (few contributions per text: a linear scan, no Map)
    const { texts, sums, order } = this;
    texts.length = sums.length = order.length = 0;
    for (let c = 0; c < n; c++) {
      const k = texts.indexOf(this.surfaces[c]!);
      if (k >= 0) sums[k]! += this.values[c]!;
      else {
        texts.push(this.surfaces[c]!);
        sums.push(this.values[c]!);
      }
    }
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
    texts.length = 0; // hold no text's surfaces past the call
    return out;
  }
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
