/** Minimal types for the two peer analyzers used by scripts/eval-sentiment.ts and bench/nlp.ts. */
declare module "vader-sentiment" {
  const vader: {
    SentimentIntensityAnalyzer: {
      polarity_scores(text: string): { neg: number; neu: number; pos: number; compound: number };
    };
  };
  export default vader;
}
declare module "sentiment" {
  class Sentiment {
    analyze(text: string): { score: number; comparative: number };
  }
  export default Sentiment;
}
