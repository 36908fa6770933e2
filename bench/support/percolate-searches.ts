/**
 * Generated saved searches whose vocabulary comes from the real texts, so they match sometimes.
 * Mix: 20% one word, 20% two words, 15% a real bigram as a phrase, 10% three-word OR, 8%
 * `a AND (b OR c) NOT d`, 5% prefix, 5% NEAR/3, 7% word + tag list, 5% OR + sentiment, 4.9%
 * phrase + NOT + platform, 0.05% only NOTs (no required term: always checked). Words are drawn
 * uniformly from the vocabulary. Deterministic for a seed.
 */
import { benchNormalize, type BenchItem } from "./percolate-corpus";

import { seededRandom as rng } from "./seeded-random";

export { rng };

/** a term an analyst would type as a query word (not a URL, handle, hashtag or emoji) */
const PLAIN_WORD = /^[a-z][a-z0-9]*$/;

export interface Vocabulary {
  words: string[];
  bigrams: string[];
  prefixes: string[];
  tags: string[];
  /** document frequency (share of items) per term */
  df: Map<string, number>;
}

/**
 * Words seen in at least 2 texts, minus the 200 most frequent (function words, airline handles,
 * "flight"): analysts search for content words.
 */
export function vocabularyOf(items: readonly BenchItem[]): Vocabulary {
  const counts = new Map<string, number>();
  for (const it of items) for (const t of it.enrichment.terms) counts.set(t, (counts.get(t) ?? 0) + 1);
  const byCount = [...counts].sort((a, b) => b[1] - a[1]);
  const common = new Set(byCount.slice(0, 200).map(([t]) => t));
  // stems that are their own normalization (so a query word means what it says: "as" would become "a")
  const words = byCount
    .filter(([t, n]) => n >= 2 && !common.has(t) && PLAIN_WORD.test(t) && benchNormalize(t, "en") === t)
    .map(([t]) => t);
  // bigrams as they occur, with at least one content word ("still waiting", not "the i")
  const content = new Set(words);
  const bigrams = new Set<string>();
  for (const it of items) {
    const tk = it.enrichment.tokens;
    for (let i = 0; i + 1 < tk.length; i++) {
      const [a, b] = [tk[i]!, tk[i + 1]!];
      const asTyped = (w: string) => PLAIN_WORD.test(w) && benchNormalize(w, "en") === w;
      if (asTyped(a) && asTyped(b) && (content.has(a) || content.has(b))) bigrams.add(`${a} ${b}`);
    }
  }
  const tags = [...new Set(items.flatMap((i) => i.facets.tag ?? []))];
  const df = new Map([...counts].map(([t, n]) => [t, n / items.length]));
  // prefixes of longer words that do not cover a frequent word ("with*" would)
  const prefixes = [...new Set(words.filter((w) => w.length >= 7).map((w) => w.slice(0, 5)))].filter(
    (p) => ![...common].some((c) => c.startsWith(p)),
  );
  return { words, bigrams: [...bigrams], prefixes, tags, df };
}

/** `n` query texts. */
export function generateQueries(n: number, v: Vocabulary, seed = 42): string[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const w = () => pick(v.words);
  const tagValue = (t: string) => (/\s/.test(t) ? `"${t}"` : t);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = r();
    let q: string;
    if (x < 0.2) q = w();
    else if (x < 0.4) q = `${w()} ${w()}`;
    else if (x < 0.55) q = `"${pick(v.bigrams)}"`;
    else if (x < 0.65) q = `${w()} OR ${w()} OR ${w()}`;
    else if (x < 0.73) q = `${w()} AND (${w()} OR ${w()}) NOT ${w()}`;
    else if (x < 0.78) q = `${pick(v.prefixes)}*`;
    else if (x < 0.83) q = `${w()} NEAR/3 ${w()}`;
    else if (x < 0.9) q = `${w()} tag:${tagValue(pick(v.tags))}|${tagValue(pick(v.tags))}`;
    else if (x < 0.95) q = `(${w()} OR ${w()}) sentiment:negative`;
    else if (x < 0.9995) q = `"${pick(v.bigrams)}" -${w()} platform:twitter`;
    else q = `-${w()} -${w()}`;
    out.push(q);
  }
  return out;
}
