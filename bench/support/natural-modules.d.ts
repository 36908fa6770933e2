/** Types for the natural deep paths only the benchmark's naive pipeline uses. */
declare module "natural/lib/natural/tokenizers/regexp_tokenizer" {
  export class WordTokenizer {
    tokenize(text: string): string[];
  }
}
declare module "natural/lib/natural/tfidf/tfidf" {
  class TfIdf {
    addDocument(doc: string[] | string): void;
    listTerms(index: number): Array<{ term: string; tfidf: number }>;
  }
  export default TfIdf;
}
