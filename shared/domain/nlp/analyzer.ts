/**
 * The text analyzer: clean → tokenize once → language → terms (stop words, stems) and the
 * sentiment stream in the same pass. Pure; build one per process with makeTextAnalyzer and reuse
 * it (stemmers and their caches, segmenters, lexicons and rules are built on first use and kept).
 */
import type { Sentiment } from "../models";
import { splitElision } from "./elision";
import { languageByScript, languageByVotes, votesOf } from "./language";
import { emojiValences, lexiconOf } from "./lexicons";
import { sentimentOf, wordSentimentOf, type SentimentItem, type SentimentResources, type WordSentiment } from "./sentiment";
import { rulesOf } from "./sentiment-rules";
import { makeStemmer, type Stemmer } from "./stemming";
import { stopWordsOf } from "./stopwords";
import { foldWord, plainTextOf } from "./text-cleanup";
import { rawTokens } from "./tokenize";

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
   * or a comma. (Stored `Enrichment.tokens` drop this; NEAR/phrase search counts indices there.)
   */
  positions: number[];
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
  /** the term a single query word becomes in `language` ("" for a stop word or a non-word) */
  termOf(word: string, language: string): string;
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
  lower: string;
  folded: string;
  caps: boolean;
  votes: readonly string[] | undefined;
  entryLanguage: string;
  entry: WordEntry | undefined;
}

/** A word's meaning in one language: its term ("" for a stop word) and what sentiment needs. */
interface WordEntry {
  term: string;
  sentiment: WordSentiment | undefined;
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
  const folded = foldWord(lower);
  return {
    lower,
    folded,
    caps: text.length >= 2 && text !== lower && text === text.toUpperCase(),
    votes: votesOf(folded),
    entryLanguage: "",
    entry: undefined,
  };
}

function entryOf(ctx: LanguageContext, lower: string, folded: string, max: number): WordEntry {
  const hit = ctx.words.get(lower);
  if (hit) return hit;
  let term = "";
  if (!ctx.stop.has(lower) && !ctx.stop.has(folded)) {
    let w = lower;
    if (ctx.language === "en" && (w.endsWith("'s") || w.endsWith("s'"))) w = w.endsWith("'s") ? w.slice(0, -2) : w.slice(0, -1);
    term = ctx.stemmer.stem(w);
  }
  const sentiment = ctx.resources ? wordSentimentOf(folded, lower, ctx.resources) : undefined;
  return remember(ctx.words, lower, { term, sentiment }, max);
}

interface Builder {
  ctx: LanguageContext;
  max: number;
  tokens: string[];
  surfaces: string[];
  positions: number[];
  items: SentimentItem[];
  pos: number;
}

function pushWord(b: Builder, lower: string, folded: string, caps: boolean, forms?: Forms): void {
  let e: WordEntry;
  if (forms && forms.entryLanguage === b.ctx.language && forms.entry) e = forms.entry;
  else {
    e = entryOf(b.ctx, lower, folded, b.max);
    if (forms) {
      forms.entryLanguage = b.ctx.language;
      forms.entry = e;
    }
  }
  if (e.sentiment) b.items.push({ kind: "word", word: e.sentiment, caps });
  if (e.term) {
    b.tokens.push(e.term);
    b.surfaces.push(lower);
    b.positions.push(b.pos);
  }
  b.pos++;
}

function pushTerm(b: Builder, term: string, surface: string): void {
  b.tokens.push(term);
  b.surfaces.push(surface);
  b.positions.push(b.pos++);
}

export function makeTextAnalyzer(opts: TextAnalyzerOptions = {}): TextAnalyzer {
  const max = opts.stemCacheSize ?? 50_000;
  const fallback = opts.fallbackLanguage ? primaryTag(opts.fallbackLanguage) : undefined;
  const forms = new Map<string, Forms>();
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
    return forms.get(text) ?? remember(forms, text, formsOf(text), max);
  }

  function analyze(text: string, hint?: { language?: string }): TextAnalysis {
    const plain = plainTextOf(text ?? "");
    const hinted = hint?.language ? primaryTag(hint.language) : undefined;
    const raw = rawTokens(plain);

    // Case forms once per token; they feed both language detection and terms.
    const tokenForms: Array<Forms | undefined> = new Array(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const t = raw[i]!;
      if (t.kind === "word" || t.kind === "hashtag" || t.kind === "handle") tokenForms[i] = cachedForms(t.text);
    }
    let language = hinted ?? languageByScript(plain);
    if (!language) {
      const votes: Array<readonly string[] | undefined> = [];
      for (let i = 0; i < raw.length; i++) if (raw[i]!.kind === "word") votes.push(tokenForms[i]!.votes);
      language = votes.length > 0 ? languageByVotes(votes, plain) : "und";
      if (language === "und" && fallback) language = fallback;
    }

    const ctx = contextOf(language);
    const b: Builder = { ctx, max, tokens: [], surfaces: [], positions: [], items: [], pos: 0 };
    let hasContent = false;

    for (let i = 0; i < raw.length; i++) {
      const t = raw[i]!;
      switch (t.kind) {
        case "word": {
          hasContent = true;
          const f = tokenForms[i]!;
          if (MAYBE_CJK.test(t.text) && CJK_CHAR.test(t.text)) {
            for (const seg of segmenterOf(language === "ja" ? "ja" : "zh").segment(t.text)) {
              if (!seg.isWordLike) continue;
              const sf = cachedForms(seg.segment);
              pushWord(b, sf.lower, sf.folded, false);
            }
          } else if (ELISION_LANGUAGES.has(language) && f.lower.includes("'")) {
            for (const part of splitElision(f.lower, language)) pushWord(b, part, foldWord(part), f.caps);
          } else {
            pushWord(b, f.lower, f.folded, f.caps, f);
          }
          break;
        }
        case "hashtag": {
          hasContent = true;
          const f = tokenForms[i]!;
          // the tag's word counts for sentiment ("#fail"), the whole tag is the term
          const e = entryOf(ctx, f.lower.slice(1), f.folded.slice(1), max);
          if (e.sentiment) b.items.push({ kind: "word", word: e.sentiment, caps: false });
          pushTerm(b, f.folded, t.text);
          break;
        }
        case "handle":
          pushTerm(b, tokenForms[i]!.folded, t.text);
          break;
        case "url":
          pushTerm(b, t.text.toLowerCase(), t.text);
          break;
        case "emoji":
        case "emoticon": {
          hasContent = true;
          const sig = t.kind === "emoji" ? t.text.replace(/\uFE0F/g, "") : t.text.toLowerCase();
          b.items.push({ kind: "emoji", text: sig });
          pushTerm(b, sig, t.text);
          break;
        }
        case "break":
          b.items.push({ kind: "break", text: t.text });
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
      sentiment = sentimentOf(b.items, ctx.resources.emoji, ctx.negatesBackward);
      if (!sentiment) sentimentReason = "empty text";
    }
    const out: TextAnalysis = { language, tokens: b.tokens, surfaces: b.surfaces, positions: b.positions, sentiment };
    if (sentimentReason) out.sentimentReason = sentimentReason;
    return out;
  }

  function termOf(word: string, language: string): string {
    const w = word.trim();
    if (!w) return "";
    if (w.startsWith("#") || w.startsWith("@")) return foldWord(w);
    const lang = primaryTag(language) ?? "und";
    const f = formsOf(w);
    const parts = ELISION_LANGUAGES.has(lang) ? splitElision(f.lower, lang) : [f.lower];
    const last = parts[parts.length - 1]!;
    return entryOf(contextOf(lang), last, foldWord(last), max).term;
  }

  return { analyze, termOf };
}
