/**
 * Language detection: script first (CJK, Cyrillic, Greek, ...), then a vote of distinctive
 * function words among the Latin-script languages we support, and franc-min only when the vote
 * is empty or tied. Pure. franc costs ~0.1-1 ms per text, the vote a few hash lookups per word,
 * so for typical support text franc never runs.
 */
import { franc } from "franc-min";

/**
 * Common, mostly unambiguous function words per language (folded), for English also its
 * contractions, time words ("today", "never") and texting forms ("thx"), so that short English
 * texts without an article vote too instead of going to franc, which guesses badly on them.
 * Shared words vote for all.
 */
const VOTE_WORDS: Record<string, string> = {
  en: "the and is are was were you your my i it this that with for have has not but what of to in be can will would don't can't it's i'm thanks thank please me on at just get got so all we our us they them he she from by about now how why when there been do did an any been if or no yes still again why who which than then very too off out up down into after before more most some such only other each few both through during because until while here where hi hey his him their would could should does doesn't didn't isn't wasn't won't wont dont cant i've i'll i'd you're we're they're that's there's what's let's never ever always today tonight tomorrow yesterday since though although unless whether yet soon already thx pls plz",
  nl: "de het een en is niet ik je jij mijn met voor van dat die wat maar nog geen wij zijn heb heeft bij ook naar dank bedankt graag alstublieft",
  de: "der die das und ist nicht ich du mein meine mit für von dass was aber noch kein keine wir sind habe hat bei auch nach danke bitte ein eine",
  fr: "le la les et est pas je tu mon ma mes avec pour de que qui mais encore aucun nous sont ai une un ce c'est merci svp vous",
  es: "el la los las y es no yo tu mi mis con para de que pero todavía ningún nosotros son tengo tiene una un gracias por está muy",
  pt: "o a os as e é não eu meu minha com para de que mas ainda nenhum nós são tenho tem uma um obrigado obrigada está muito você",
  it: "il lo la gli le e è non io mio mia con per di che ma ancora nessun noi sono ho ha una un grazie molto sempre della",
  ca: "el la els les i és no jo meu meva amb per de que però encara cap nosaltres són tinc té una un gràcies molt això",
  gl: "o a os as e é non eu meu miña con para de que pero aínda ningún nós son teño ten unha un grazas moi isto",
  eu: "eta da ez dut du bat baina oso eskerrik asko zer nire zure hau hori dira",
};

const VOTES = new Map<string, string[]>();
for (const [lang, words] of Object.entries(VOTE_WORDS)) {
  for (const w of words.split(" ")) {
    const fw = w.normalize("NFD").replace(/\p{M}+/gu, "");
    for (const key of new Set([w, fw])) {
      const list = VOTES.get(key) ?? [];
      list.push(lang);
      VOTES.set(key, list);
    }
  }
}

const FRANC_TO_ISO1: Record<string, string> = {
  eng: "en", nld: "nl", deu: "de", fra: "fr", spa: "es", por: "pt", ita: "it", cat: "ca", glg: "gl",
  eus: "eu", swe: "sv", nob: "no", nno: "no", dan: "da", pol: "pl", ces: "cs", slk: "sk", ron: "ro",
  hun: "hu", fin: "fi", tur: "tr", ind: "id", zlm: "ms", vie: "vi", tgl: "tl", hrv: "hr", srp: "sr",
  bos: "bs", slv: "sl", lit: "lt", lav: "lv", est: "et", afr: "af", swh: "sw", som: "so", hau: "ha",
  yor: "yo", ibo: "ig", uzn: "uz", azj: "az", ckb: "ku",
};

/** Latin-script languages franc may pick from (others are found by script). */
const FRANC_ONLY = Object.keys(FRANC_TO_ISO1);

const HAN = /\p{Script=Han}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HANGUL = /\p{Script=Hangul}/u;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const UKRAINIAN = /[іїєґІЇЄҐ]/u;
const ARABIC = /\p{Script=Arabic}/u;
const PERSIAN = /[پچژگکی]/u;
const OTHER_SCRIPTS: Array<[RegExp, string]> = [
  [/\p{Script=Greek}/u, "el"], [/\p{Script=Hebrew}/u, "he"], [/\p{Script=Thai}/u, "th"],
  [/\p{Script=Devanagari}/u, "hi"], [/\p{Script=Bengali}/u, "bn"], [/\p{Script=Armenian}/u, "hy"],
  [/\p{Script=Georgian}/u, "ka"], [/\p{Script=Tamil}/u, "ta"],
];
const LATIN_LETTER = /\p{Script=Latin}/u;
const ASCII_ONLY = /^[\u0000-\u007f]*$/;
/** any letter outside the Latin script (one scan instead of one per script for Latin text) */
const NON_LATIN = /[^\P{L}\p{Script=Latin}]/u;

/**
 * Language of a text from its script alone, or `undefined` when the script is Latin (or there
 * are no letters) and words must decide. Kana anywhere means Japanese; Han without kana Chinese.
 */
export function languageByScript(text: string): string | undefined {
  if (ASCII_ONLY.test(text) || !NON_LATIN.test(text)) return undefined;
  if (KANA.test(text)) return "ja";
  if (HAN.test(text)) return "zh";
  if (HANGUL.test(text)) return "ko";
  if (CYRILLIC.test(text) && !LATIN_LETTER.test(text.replace(/https?:\/\/\S+|[@#]\S+/g, ""))) return UKRAINIAN.test(text) ? "uk" : "ru";
  if (ARABIC.test(text)) return PERSIAN.test(text) ? "fa" : "ar";
  for (const [re, lang] of OTHER_SCRIPTS) if (re.test(text)) return lang;
  return undefined;
}

/**
 * ISO 639-1 code of a Latin-script text from its folded words, or "und".
 * A word shared by k languages gives each 1/k of a vote; the highest total wins and a tie goes
 * to the language more common in support traffic (en, es, pt, fr, de, it, nl, ca, gl, eu).
 * Only a text with no vote at all asks franc (Latin-script languages, 20+ letters outside
 * handles, URLs and hashtags, below which its guesses are noise); otherwise "und".
 */
/** Languages a folded word votes for (see languageByWords), or undefined. */
export function votesOf(folded: string): readonly string[] | undefined {
  return VOTES.get(folded);
}

export function languageByWords(foldedWords: readonly string[], text: string): string {
  const votes: Array<readonly string[] | undefined> = [];
  for (const w of foldedWords) votes.push(VOTES.get(w));
  return languageByVotes(votes, text);
}

/** languageByWords with each word's votes already looked up (the analyzer caches them). */
export function languageByVotes(votes: ReadonlyArray<readonly string[] | undefined>, text: string): string {
  const tally = new Float64Array(PRIORITY.length);
  let any = false;
  for (const langs of votes) {
    if (!langs) continue;
    any = true;
    addVote(tally, voteIndicesOf(langs));
  }
  return languageByTally(tally, any, text);
}

/** A word's vote as indices into the tie-break order (what the analyzer caches per word). */
export type Vote = readonly number[];

/** the vote of a folded word, or undefined when it votes for no language */
export function voteOf(folded: string): Vote | undefined {
  const langs = VOTES.get(folded);
  return langs ? voteIndicesOf(langs) : undefined;
}

const voteIndices = new Map<readonly string[], Vote>();
function voteIndicesOf(langs: readonly string[]): Vote {
  let v = voteIndices.get(langs);
  if (!v) {
    v = langs.map((l) => PRIORITY_INDEX.get(l)!);
    voteIndices.set(langs, v);
  }
  return v;
}

/** a fresh tally to add votes to */
export function newTally(): Float64Array {
  return new Float64Array(PRIORITY.length);
}

/** adds one word's vote: a word shared by k languages gives each 1/k of a vote */
export function addVote(tally: Float64Array, vote: Vote): void {
  const share = 1 / vote.length;
  for (let k = 0; k < vote.length; k++) tally[vote[k]!]! += share;
}

/**
 * The language with the highest tally (ties toward the languages most common in support
 * traffic); with no vote at all (`any` false), franc or "und" (see languageByWords).
 */
export function languageByTally(tally: Float64Array, any: boolean, text: string): string {
  if (any) {
    let best = 0;
    // PRIORITY order breaks ties toward the languages most common in support traffic
    for (let k = 1; k < tally.length; k++) if (tally[k]! > tally[best]! + 1e-9) best = k;
    return PRIORITY[best]!;
  }
  // franc costs ~0.1-0.2 ms a call: give it only the words (no handles, URLs, tags) and only
  // enough of them to be worth asking
  const words = text.replace(/https?:\/\/\S+|www\.\S+|[@#][\p{L}\p{N}_]+/gu, " ");
  if (words.replace(/[^\p{L}]+/gu, "").length < FRANC_MIN_LETTERS) return "und";
  return FRANC_TO_ISO1[franc(words, { only: FRANC_ONLY, minLength: FRANC_MIN_LETTERS })] ?? "und";
}

const FRANC_MIN_LETTERS = 20;
const PRIORITY = ["en", "es", "pt", "fr", "de", "it", "nl", "ca", "gl", "eu"];
const PRIORITY_INDEX = new Map(PRIORITY.map((l, k) => [l, k]));
