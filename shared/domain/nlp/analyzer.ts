/**
 * The text analyzer: clean → tokenize once → language → terms (stop words, stems) and the
 * sentiment stream in the same pass. Pure; build one per process with makeTextAnalyzer and reuse
 * it (stemmers and their caches, segmenters, lexicons and rules are built on first use and kept).
 */
import type { Sentiment } from "../models";
import { splitElision } from "./elision";
import { addVote, languageByScript, newTally, languageByTally, voteOf, type Vote } from "./language";
import { emojiValences, lexiconOf } from "./lexicons";
import { sentimentOf } from "./sentiment";
import {
  inCapitals,
  isPlain,
  PLAIN_WORD,
  PLAIN_WORD_CAPS,
  wordSentimentOf,
  type SentimentItem,
  type SentimentResources,
  type SentimentStream,
} from "./word-sentiment";
import { rulesOf } from "./sentiment-rules";
import { makeStemmer, type Stemmer } from "./stemming";
import { stopWordsOf } from "./stopwords";
import { foldWord, plainTextOf } from "./text-cleanup";
import { SurfaceTable } from "./surface-table";
import { K_BREAK, K_EMOJI, K_EMOTICON, K_HANDLE, K_HASHTAG, K_URL, K_WORD, makeTokenSpans, tokenSpans } from "./tokenize";

export interface TextAnalysis {
  /** ISO 639-1 code from the hint or detected, or "und" when undetermined */
  language: string;
  /**
   * Terms in text order: folded stems of words (stop words removed), `@handles`, `#hashtags` and
   * URLs as single lowercase terms, emoji and emoticons as themselves. Chinese and Japanese words
   * come from `Intl.Segmenter` and are not stemmed.
   */
  tokens: string[];
  /** readable lowercase form of each token as written ("refunds" for the token "refund") */
  surfaces: string[];
  /**
   * Position of each token in the full word stream, in which removed stop words still take a
   * slot and each clause break (punctuation, line, block tag) takes one too. Two tokens form a
   * phrase only when their positions are consecutive, so phrases never jump over a removed word
   * or a comma (keywords). Phrase and NEAR search count positions in `words` instead.
   */
  positions: number[];
  /**
   * The text's words as written, one per position, for phrase and NEAR search: each word's term,
   * or for a stop word its folded form (stop words keep their place, so `"on hold"` and NEAR/n
   * count every word); `#hashtags`, `@handles`, URLs, emoji and emoticons as in `tokens`. Clause
   * punctuation takes no position. A word with an elided article ("l'avion") is one word (its
   * last part); Chinese and Japanese runs give one word per segment.
   */
  words: string[];
  /** the term of the word inside each hashtag ("#Refunds" -> "refund"), so a plain word finds its hashtag */
  tagTerms: string[];
  sentiment: Sentiment | null;
  /**
   * why sentiment is null: "empty text", "no words to judge" (only handles/URLs), "language
   * undetermined", "no sentiment vocabulary for language xx"
   */
  sentimentReason?: string;
}

export interface TextAnalyzerOptions {
  /**
   * most words each memo holds (the case-forms memo, and per language the stem memo and the
   * word-entry memo); default 50,000, 0 disables memoization (results are identical either way)
   */
  stemCacheSize?: number;
  /**
   * language assumed when there is no hint and detection cannot decide (e.g. the workspace's
   * main language); default "und", which gives `sentiment: null`
   */
  fallbackLanguage?: string;
}

export interface TextAnalyzer {
  /**
   * Analyze one text. `hint.language` (e.g. the helpdesk's "pt-BR") wins over detection; only its
   * primary subtag is used.
   */
  analyze(text: string, hint?: { language?: string }): TextAnalysis;
  /**
   * The term a single query word becomes in `language` ("" for a stop word or a non-word); with
   * `asWritten`, its entry in `TextAnalysis.words` instead (a stop word's folded form).
   */
  termOf(word: string, language: string, asWritten?: boolean): string;
}

const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
/** cheap pre-check before the Unicode-property test: any character from U+2E80 up */
const MAYBE_CJK = /[\u2e80-\uffff]/;
const ELISION_LANGUAGES: ReadonlySet<string> = new Set(["fr", "it", "ca"]);

/**
 * Case forms of a word as written, cached per analyzer. Also holds the language votes and the
 * entry for the last language the word was seen in, so a token costs one map lookup.
 */
interface Forms {
  /** the word as written (the memo key) */
  text: string;
  lower: string;
  folded: string;
  caps: boolean;
  /** has Chinese or Japanese characters (segmented with Intl.Segmenter) */
  cjk: boolean;
  vote: Vote | undefined;
  /** the one language the word votes for (most voting words have one), else -1 */
  vote1: number;
  /**
   * the language context the word was last seen in, and its meaning there (flattened): its term
   * and its sentiment stream item (caps or not). For a #hashtag (its own form: the key holds the
   * "#"), the term is the tag's word, folded, and the item that word's.
   */
  entryCtx: LanguageContext | undefined;
  entryTerm: string;
  entryItem: SentimentItem | undefined;
  /** for a #hashtag: the term of the tag's word in `entryCtx` ("" for a stop word) */
  entryTagTerm: string;
}

/** A word's meaning in one language: its term ("" for a stop word) and what sentiment needs. */
interface WordEntry {
  term: string;
  /**
   * the word's sentiment stream items, as written and in caps (immutable, shared by all texts;
   * one shared pair for all words that play no part in sentiment, see isPlain)
   */
  item: SentimentItem | undefined;
  capsItem: SentimentItem | undefined;
}

/** Per-language resources, built on first use of the language and kept. */
interface LanguageContext {
  language: string;
  stop: ReadonlySet<string>;
  stemmer: Stemmer;
  resources: SentimentResources | undefined;
  negatesBackward: boolean;
  words: Map<string, WordEntry>;
}

/** Bounded memo: cleared when full (see stemming.ts for why not LRU). */
function remember<V>(map: Map<string, V>, key: string, value: V, max: number): V {
  if (max <= 0) return value;
  if (map.size >= max) map.clear();
  map.set(key, value);
  return value;
}

/** "pt-BR" -> "pt"; undefined for an empty tag */
function primaryTag(tag: string): string | undefined {
  const t = tag.trim().toLowerCase();
  const cut = t.search(/[-_]/);
  return (cut < 0 ? t : t.slice(0, cut)) || undefined;
}

function formsOf(text: string): Forms {
  let lower = text.toLowerCase();
  if (lower.includes("’")) lower = lower.replace(/’/g, "'");
  // interned: handles and hashtags are terms as they are (see internalized)
  const folded = internalized(foldWord(lower));
  const vote = voteOf(folded);
  return {
    text,
    lower,
    folded,
    caps: text.length >= 2 && text !== lower && text === text.toUpperCase(),
    cjk: MAYBE_CJK.test(text) && CJK_CHAR.test(text),
    vote,
    vote1: vote?.length === 1 ? vote[0]! : -1,
    entryCtx: undefined,
    entryTerm: "",
    entryItem: undefined,
    entryTagTerm: "",
  };
}

function entryOf(ctx: LanguageContext, lower: string, folded: string, max: number): WordEntry {
  const hit = ctx.words.get(lower);
  if (hit) return hit;
  let term = "";
  if (!ctx.stop.has(lower) && !ctx.stop.has(folded)) {
    let w = lower;
    if (ctx.language === "en" && (w.endsWith("'s") || w.endsWith("s'"))) w = w.endsWith("'s") ? w.slice(0, -2) : w.slice(0, -1);
    term = internalized(ctx.stemmer.stem(w));
  }
  const sentiment = ctx.resources ? wordSentimentOf(folded, lower, ctx.resources) : undefined;
  const plain = sentiment !== undefined && isPlain(sentiment);
  const item: SentimentItem | undefined = plain ? PLAIN_WORD : sentiment;
  const capsItem: SentimentItem | undefined = plain ? PLAIN_WORD_CAPS : sentiment ? inCapitals(sentiment) : undefined;
  return remember(ctx.words, lower, { term, item, capsItem }, max);
}

/**
 * The same string as one flat, engine-interned copy. Stems come out of the stemmers as chains of
 * concatenations; every text compares and hashes its terms (keywords, corpus df), and interned
 * strings compare by identity and carry their hash. Done once per distinct word (memoized).
 */
function internalized(s: string): string {
  return Object.keys({ [s]: 0 })[0] ?? s;
}

interface Builder {
  ctx: LanguageContext;
  max: number;
  tokens: string[];
  surfaces: string[];
  positions: number[];
  words: string[];
  tagTerms: string[];
  /** the analyzer's stream, reset for this text */
  stream: SentimentStream;
  pos: number;
}

function pushItem(s: SentimentStream, item: SentimentItem, folded: string | undefined): void {
  s.folded[s.length] = folded;
  s.items[s.length++] = item;
  if (item.kind === "word") {
    s.words++;
    if (item.caps) s.capsWords++;
  }
}

/**
 * A word (or one part of an elided word) as written; `asWord`: it ends a word as written, so it
 * takes a place in `words` (a word's last part stands for the whole word there).
 */
function pushWord(b: Builder, lower: string, folded: string, caps: boolean, asWord = true): void {
  const e = entryOf(b.ctx, lower, folded, b.max);
  const item = caps ? e.capsItem : e.item;
  if (item) pushItem(b.stream, item, folded);
  if (e.term) {
    b.tokens.push(e.term);
    b.surfaces.push(lower);
    b.positions.push(b.pos);
  }
  if (asWord) b.words.push(e.term || folded);
  b.pos++;
}

/** pushWord for a whole word as written, through the meaning cached on its forms */
function pushForms(b: Builder, f: Forms): void {
  if (f.entryCtx !== b.ctx) {
    const e = entryOf(b.ctx, f.lower, f.folded, b.max);
    f.entryCtx = b.ctx;
    f.entryTerm = e.term;
    f.entryItem = f.caps ? e.capsItem : e.item;
  }
  if (f.entryItem) pushItem(b.stream, f.entryItem, f.folded);
  if (f.entryTerm) {
    b.tokens.push(f.entryTerm);
    b.surfaces.push(f.lower);
    b.positions.push(b.pos);
  }
  b.words.push(f.entryTerm || f.folded);
  b.pos++;
}

function pushTerm(b: Builder, term: string, surface: string): void {
  b.tokens.push(term);
  b.surfaces.push(surface);
  b.words.push(term);
  b.positions.push(b.pos++);
}

/** Break items are immutable: one-character breaks ("." "," "!" "\n" ...) are shared. */
const BREAK_ITEMS: Array<SentimentItem | undefined> = [];
function breakItemOf(text: string, start: number, end: number): SentimentItem {
  if (end - start === 1) {
    const c = text.charCodeAt(start);
    if (c < 128) return (BREAK_ITEMS[c] ??= { kind: "break", text: text[start]! });
  }
  return { kind: "break", text: text.slice(start, end) };
}

export function makeTextAnalyzer(opts: TextAnalyzerOptions = {}): TextAnalyzer {
  const max = opts.stemCacheSize ?? 50_000;
  const fallback = opts.fallbackLanguage ? primaryTag(opts.fallbackLanguage) : undefined;
  const forms = new SurfaceTable<Forms>(max);
  const spans = makeTokenSpans();
  const tokenForms: Array<Forms | undefined> = [];
  const stream: SentimentStream = { items: [], folded: [], length: 0, words: 0, capsWords: 0 };
  const tally = newTally();
  const contexts = new Map<string, LanguageContext>();
  const segmenters = new Map<string, Intl.Segmenter>();

  function contextOf(language: string): LanguageContext {
    let ctx = contexts.get(language);
    if (ctx) return ctx;
    const stemmer = makeStemmer(language, max);
    const lexicon = lexiconOf(language);
    const rules = rulesOf(language);
    const resources: SentimentResources | undefined =
      lexicon && rules ? { lexicon, rules, emoji: emojiValences(), stem: (w) => stemmer.stem(w) } : undefined;
    ctx = {
      language,
      stop: stopWordsOf(language),
      stemmer,
      resources,
      negatesBackward: rules?.negatesBackward ?? false,
      words: new Map(),
    };
    contexts.set(language, ctx);
    return ctx;
  }

  function segmenterOf(language: string): Intl.Segmenter {
    let s = segmenters.get(language);
    if (!s) {
      s = new Intl.Segmenter(language, { granularity: "word" });
      segmenters.set(language, s);
    }
    return s;
  }

  function cachedForms(text: string): Forms {
    const h = SurfaceTable.hash(text, 0, text.length);
    return forms.get(text, 0, text.length, h) ?? forms.set(text, h, formsOf(text));
  }

  /** forms of token i of `text`, by the key the tokenizer packed or else by its characters */
  function spanForms(text: string, i: number): Forms {
    const start = spans.starts[i]!;
    const end = spans.ends[i]!;
    let h = spans.hashes[i]!;
    let hit: Forms | undefined;
    if (h !== 0) {
      const keys = spans.keys;
      hit = forms.getPacked(keys[3 * i]!, keys[3 * i + 1]!, keys[3 * i + 2]!, h);
    } else {
      h = SurfaceTable.hash(text, start, end);
      hit = forms.get(text, start, end, h);
    }
    if (hit) return hit;
    const w = text.slice(start, end);
    return forms.set(w, h, formsOf(w));
  }

  function analyze(text: string, hint?: { language?: string }): TextAnalysis {
    const plain = plainTextOf(text ?? "");
    const hinted = hint?.language ? primaryTag(hint.language) : undefined;
    tokenSpans(plain, spans);
    const { kinds, starts, ends } = spans;
    const count = spans.length;

    // Case forms once per token; they feed both language detection and terms. (Entries past
    // `count` are stale and never read: only tokens of this text are looked at.)
    if (tokenForms.length < count) tokenForms.length = count;
    for (let i = 0; i < count; i++) {
      const k = kinds[i]!;
      if (k === K_WORD || k === K_HASHTAG || k === K_HANDLE) tokenForms[i] = spanForms(plain, i);
    }
    // an all-ASCII text is Latin script: words decide (the tokenizer knows, no regex needed)
    let language = hinted ?? (spans.ascii ? undefined : languageByScript(plain));
    if (!language) {
      let words = 0;
      let voted = false;
      for (let k = 0; k < tally.length; k++) tally[k] = 0; // (cheaper than fill() on 10 slots)
      for (let i = 0; i < count; i++) {
        if (kinds[i] !== K_WORD) continue;
        words++;
        const f = tokenForms[i]!;
        if (f.vote1 >= 0) {
          voted = true;
          tally[f.vote1]! += 1;
        } else if (f.vote) {
          voted = true;
          addVote(tally, f.vote);
        }
      }
      language = words > 0 ? languageByTally(tally, voted, plain) : "und";
      if (language === "und" && fallback) language = fallback;
    }

    const ctx = contextOf(language);
    stream.length = stream.words = stream.capsWords = 0;
    const b: Builder = { ctx, max, tokens: [], surfaces: [], positions: [], words: [], tagTerms: [], stream, pos: 0 };
    const elision = ELISION_LANGUAGES.has(language);
    let hasContent = false;

    for (let i = 0; i < count; i++) {
      switch (kinds[i]) {
        case K_WORD: {
          hasContent = true;
          const f = tokenForms[i]!;
          if (f.cjk) {
            for (const seg of segmenterOf(language === "ja" ? "ja" : "zh").segment(f.text)) {
              if (!seg.isWordLike) continue;
              const sf = cachedForms(seg.segment);
              pushWord(b, sf.lower, sf.folded, false);
            }
          } else if (elision && f.lower.includes("'")) {
            const parts = splitElision(f.lower, language);
            parts.forEach((part, k) => pushWord(b, part, foldWord(part), f.caps, k === parts.length - 1));
          } else {
            pushForms(b, f);
          }
          break;
        }
        case K_HASHTAG: {
          hasContent = true;
          const f = tokenForms[i]!;
          // the tag's word counts for sentiment ("#fail"), the whole tag is the term
          if (f.entryCtx !== ctx) {
            const word = f.folded.slice(1);
            const e = entryOf(ctx, f.lower.slice(1), word, max);
            f.entryCtx = ctx;
            f.entryTerm = word;
            f.entryItem = e.item;
            f.entryTagTerm = e.term;
          }
          if (f.entryItem) pushItem(stream, f.entryItem, f.entryTerm);
          pushTerm(b, f.folded, f.text);
          if (f.entryTagTerm) b.tagTerms.push(f.entryTagTerm);
          break;
        }
        case K_HANDLE: {
          const f = tokenForms[i]!;
          pushTerm(b, f.folded, f.text);
          break;
        }
        case K_URL: {
          const u = plain.slice(starts[i], ends[i]);
          pushTerm(b, u.toLowerCase(), u);
          break;
        }
        case K_EMOJI:
        case K_EMOTICON: {
          hasContent = true;
          const t = plain.slice(starts[i], ends[i]);
          const sig = kinds[i] === K_EMOJI ? t.replace(/\uFE0F/g, "") : t.toLowerCase();
          pushItem(stream, { kind: "emoji", text: sig }, undefined);
          pushTerm(b, sig, t);
          break;
        }
        case K_BREAK:
          pushItem(stream, breakItemOf(plain, starts[i]!, ends[i]!), undefined);
          b.pos++;
          break;
      }
    }

    let sentiment: Sentiment | null = null;
    let sentimentReason: string | undefined;
    if (!hasContent) sentimentReason = b.tokens.length > 0 ? "no words to judge" : "empty text";
    else if (language === "und") sentimentReason = "language undetermined";
    else if (!ctx.resources) sentimentReason = `no sentiment vocabulary for language ${language}`;
    else {
      sentiment = sentimentOf(stream, ctx.resources.emoji, ctx.negatesBackward);
      if (!sentiment) sentimentReason = "empty text";
    }
    const out: TextAnalysis = {
      language, tokens: b.tokens, surfaces: b.surfaces, positions: b.positions, words: b.words, tagTerms: b.tagTerms, sentiment,
    };
    if (sentimentReason) out.sentimentReason = sentimentReason;
    return out;
  }

  function termOf(word: string, language: string, asWritten = false): string {
    const w = word.trim();
    if (!w) return "";
    if (w.startsWith("#") || w.startsWith("@")) return foldWord(w);
    const lang = primaryTag(language) ?? "und";
    const f = formsOf(w);
    const parts = ELISION_LANGUAGES.has(lang) ? splitElision(f.lower, lang) : [f.lower];
    const last = parts[parts.length - 1]!;
    const folded = foldWord(last);
    const term = entryOf(contextOf(lang), last, folded, max).term;
    return term || (asWritten ? folded : "");
  }

  return { analyze, termOf };
}
