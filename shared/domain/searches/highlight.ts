/**
 * Highlights for a matched item: spans of the text whose words normalize to one of the matched
 * terms, found with the same normalizer the query used. Pure.
 */
export interface Highlight {
  start: number;
  end: number;
  term: string;
}

const WORD = /[#@]?[\p{L}\p{N}][\p{L}\p{N}'’_-]*/gu;

/**
 * Spans of `text` (UTF-16 offsets) whose word normalizes to a term in `hits`, or whose #hashtag's
 * word does (a plain query word matches the hashtag with that word). Phrase hits are highlighted
 * word by word. At most `limit` spans.
 */
export function highlightsOf(
  text: string,
  hits: readonly string[],
  language: string,
  normalize: (word: string, language: string) => string,
  limit = 50,
): Highlight[] {
  const wanted = new Set(hits.flatMap((h) => h.split(" ")));
  if (wanted.size === 0) return [];
  const out: Highlight[] = [];
  for (const m of text.matchAll(WORD)) {
    let term = normalize(m[0], language);
    if (!wanted.has(term) && m[0][0] === "#") term = normalize(m[0].slice(1), language);
    if (term && wanted.has(term)) {
      out.push({ start: m.index, end: m.index + m[0].length, term });
      if (out.length >= limit) break;
    }
  }
  return out;
}
