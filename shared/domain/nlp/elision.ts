/**
 * Elided articles and pronouns in French, Italian and Catalan ("l'aide", "n'est", "dell'ordine"):
 * the word after the apostrophe is the one that carries meaning, and a French "n'" is a negator.
 * Pure.
 */
const ELIDED: Record<string, ReadonlySet<string>> = {
  fr: new Set(["l", "d", "j", "m", "t", "s", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"]),
  it: new Set(["l", "un", "all", "dell", "dall", "nell", "sull", "c", "d", "quest", "quell", "po"]),
  ca: new Set(["l", "d", "s", "m", "t"]),
};

/**
 * Parts of a folded word: `["aide"]` for "l'aide", `["n", "est"]` for "n'est" (the "n" is kept so
 * sentiment can see the negation; it is a stop word for terms). Words of other languages, and
 * words without an apostrophe, come back as `[word]`.
 */
export function splitElision(folded: string, language: string): string[] {
  const elided = ELIDED[language];
  const at = folded.indexOf("'");
  if (!elided || at < 0) return [folded];
  const head = folded.slice(0, at);
  const tail = folded.slice(at + 1);
  if (head === "n" && language === "fr") return ["n", ...splitElision(tail, language)];
  if (elided.has(head)) return splitElision(tail, language);
  return [folded];
}
