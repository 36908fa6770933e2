/**
 * Stop words per language: natural's lists where it has them, short lists of our own for German,
 * Catalan, Galician and Basque (natural 8 ships none). Stored folded (see foldWord) and as written,
 * so both "été" and "ete" are recognised. Pure.
 */
import en from "natural/lib/natural/util/stopwords";
import es from "natural/lib/natural/util/stopwords_es";
import fr from "natural/lib/natural/util/stopwords_fr";
import it from "natural/lib/natural/util/stopwords_it";
import nl from "natural/lib/natural/util/stopwords_nl";
import pt from "natural/lib/natural/util/stopwords_pt";
import sv from "natural/lib/natural/util/stopwords_sv";
import no from "natural/lib/natural/util/stopwords_no";
import pl from "natural/lib/natural/util/stopwords_pl";
import ru from "natural/lib/natural/util/stopwords_ru";
import uk from "natural/lib/natural/util/stopwords_uk";
import fa from "natural/lib/natural/util/stopwords_fa";
import id from "natural/lib/natural/util/stopwords_id";
import ja from "natural/lib/natural/util/stopwords_ja";
import zh from "natural/lib/natural/util/stopwords_zh";
import { foldWord } from "./text-cleanup";

const de = (
  "aber als also am an auch auf aus bei bin bis bist da damit dann das dass dem den der des die dies diese diesem " +
  "diesen dieser dieses doch dort du durch ein eine einem einen einer eines er es etwas euch euer für hab habe haben " +
  "hat hatte hier ich ihr ihre im in ist ja jetzt man mein meine meinem meinen meiner mich mir mit muss nach noch nun " +
  "nur ob oder schon sehr sein seine sich sie sind so über um und uns unser unter vom von vor war waren was weil wenn " +
  "wer wie wieder wir wird wo zu zum zur"
).split(" ");
const ca = (
  "a al als amb aquest aquesta aquests de del dels el els em en es és està estan ha han he i jo la les li lo m me " +
  "meu meva molt ni o on per però perquè que qui s se seu seva si sobre són també te tinc tot un una uns va"
).split(" ");
const gl = (
  "a á ao aos as co coa como da das de do dos e é en está este esta eu foi ha lle me meu miña na nas no nos o os " +
  "para pero pola polo por que se ser seu súa son te ten un unha xa"
).split(" ");
const eu = "a at bat baina da dira du dut edo eta ere gu hau hori hura ni nik zu zuk zen zer".split(" ");

const RAW: Record<string, string[]> = {
  en: en.words, es: es.words, fr: fr.words, it: it.words, nl: nl.words, pt: pt.words, sv: sv.words,
  no: no.words, pl: pl.words, ru: ru.words, uk: uk.words, fa: fa.words, id: id.words, ja: ja.words,
  zh: zh.words, de, ca, gl, eu,
};

const cache = new Map<string, ReadonlySet<string>>();
const EMPTY: ReadonlySet<string> = new Set();

/** Stop words of `language` (ISO 639-1), folded and as written; empty for unknown languages. */
export function stopWordsOf(language: string): ReadonlySet<string> {
  const set = cache.get(language);
  if (set) return set;
  const words = RAW[language];
  if (!words) return EMPTY;
  const s = new Set<string>();
  for (const w of words) {
    s.add(w);
    s.add(foldWord(w));
  }
  cache.set(language, s);
  return s;
}
