/**
 * Maps a row of the "Twitter US Airline Sentiment" CSV (Figure Eight; a sample is in
 * test/fixtures/data) to a canonical mention: tweet_id -> externalId, text, tweet_created (`2015-02-24 11:35:52 -0800`) -> postedAt,
 * platform twitter, language en. The labels are not imported: they exist to measure us.
 */
export const AIRLINE_TWEET_COLUMNS = ["tweet_id", "airline_sentiment", "text", "tweet_created"];

/** `2015-02-24 11:35:52 -0800` -> `2015-02-24T11:35:52-08:00`. */
export function tweetDate(s: string | undefined): string | undefined {
  const m = s ? /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})$/.exec(s.trim()) : null;
  return m ? `${m[1]}T${m[2]}${m[3]}:${m[4]}` : undefined;
}

export function mentionFromAirlineTweet(row: Record<string, string>): Record<string, unknown> {
  return {
    platform: "twitter",
    externalId: row.tweet_id,
    text: row.text,
    postedAt: tweetDate(row.tweet_created) ?? row.tweet_created,
    language: "en",
  };
}
