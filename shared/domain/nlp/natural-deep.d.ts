/**
 * Ambient types for the few deep paths of `natural` 8.1.1 we import. The package root is never
 * imported: it loads five storage back ends that call `dotenv.config()` and print on import
 * (see shared/domain/nlp/README.md). Keep this list in step with the imports in
 * stemming.ts, stopwords.ts and lexicons.ts.
 */
declare module "natural/lib/natural/stemmers/porter_stemmer*" {
  const stemmer: { stem(token: string): string };
  export default stemmer;
}
declare module "natural/lib/natural/util/stopwords*" {
  const list: { words: string[] };
  export default list;
}
declare module "natural/lib/natural/sentiment/SentimentAnalyzer" {
  class SentimentAnalyzer {
    constructor(language: string, stemmer: null, type: "afinn" | "senticon" | "pattern");
    vocabulary: Record<string, number | string>;
    negations: string[];
  }
  export default SentimentAnalyzer;
}
