import { describe, expect, it } from "vitest";
import { makeTextAnalyzer } from "../../../shared/domain/nlp/index";

const analyzer = makeTextAnalyzer();
const sentimentOf = (text: string, language = "en") => analyzer.analyze(text, { language }).sentiment;
const scoreOf = (text: string) => sentimentOf(text)?.score ?? Number.NaN;

describe('"no" negates only the next word, and says "no" when it negates nothing', () => {
  it.each([
    ["no good", "negative"],
    ["no luck with the refund", "negative"],
    ["No!!!", "negative"],
    ["oh no", "negative"],
    ["no idea what happened", "negative"],
    ["No, I love it", "positive"],
    ["no problem at all", "positive"],
    ["no worries, thanks", "positive"],
    ["no regrets", "positive"],
  ])("%s -> %s", (text, label) => {
    expect(sentimentOf(text)?.label).toBe(label);
  });

  it("does not reach past the next word", () => {
    // "no" takes "more"; "great" two words on is not negated
    expect(sentimentOf("no more great excuses")?.label).toBe("positive");
  });
});

describe("negation that is not negation", () => {
  it.each([
    // the negation is about stopping, not about what goes on
    ["I can't stop smiling", "positive"],
    ["I can't stop crying", "negative"],
    // "never ... so/such" is emphasis (VADER's rule)
    ["never been so happy", "positive"],
    ["never felt so alone", "negative"],
    ["never seen such a mess", "negative"],
    // a negated comparative is a superlative, unless the copula is negated
    ["couldn't be better", "positive"],
    ["could not be happier", "positive"],
    ["couldn't be worse", "negative"],
    ["never been better", "positive"],
    ["it isn't better after the update", "negative"],
    // "not" that opens no window
    ["not only good but great", "positive"],
    ["not to mention the great view", "positive"],
    ["good, if not great", "positive"],
    ["not gonna lie this is great", "positive"],
    // astonishment is about what follows
    ["I can't believe they cancelled my flight", "negative"],
    ["I don't mind", "positive"],
  ])("%s -> %s", (text, label) => {
    expect(sentimentOf(text)?.label).toBe(label);
  });

  it("still negates as before elsewhere", () => {
    expect(sentimentOf("not good")?.label).toBe("negative");
    expect(sentimentOf("never again")?.label).toBe("negative");
    expect(sentimentOf("it is not better")?.label).toBe("negative");
  });
});

describe("idioms", () => {
  it.each([
    ["you are killing it", "positive"],
    ["nailed it", "positive"],
    ["the site is down again", "negative"],
    ["feeling down today", "negative"],
    ["you let me down", "negative"],
    ["are you kidding me", "negative"],
    ["I'm so done with this", "negative"],
    ["I can't sleep", "negative"],
  ])("%s -> %s", (text, label) => {
    expect(sentimentOf(text)?.label).toBe(label);
  });
});

describe("general vocabulary beyond AFINN (vocabulary-en.ts)", () => {
  it.each([
    ["so sleepy and cranky", "negative"],
    ["heartache", "negative"],
    ["stuck in traffic with a migraine", "negative"],
    ["cuddles with my sweetheart", "positive"],
    ["happy birthday, enjoy the party", "positive"],
    ["my puppy graduated from training", "positive"],
    ["that was cringe", "negative"],
    ["tgif", "positive"],
  ])("%s -> %s", (text, label) => {
    expect(sentimentOf(text)?.label).toBe(label);
  });

  it("lets AFINN and our support words win over it", () => {
    // "delayed" is a support word (-2), not overridden by any general entry
    expect(scoreOf("delayed")).toBeLessThan(0);
  });
});

describe("word forms", () => {
  it.each([
    ["sadly", "negative"],
    ["gladly", "positive"],
    ["the show ended beautifully", "positive"],
    ["he shouted angrily", "negative"],
    ["lovee it", "positive"],
    ["so sadd", "negative"],
    // degree adverbs stay modifiers, not opinions
    ["an extremely tall building", "neutral"],
    ["only one left", "neutral"],
    ["still waiting", "negative"],
  ])("%s -> %s", (text, label) => {
    expect(sentimentOf(text)?.label).toBe(label);
  });
});

describe("faces weigh more than one word", () => {
  it.each([
    ["tired :)", "positive"],
    ["fine :(", "negative"],
    ["the update broke my settings >_<", "negative"],
    ["exam tomorrow ;_;", "negative"],
    ["nice ^.^", "positive"],
    ["this again -.-", "negative"],
  ])("%s -> %s", (text, label) => {
    expect(sentimentOf(text)?.label).toBe(label);
  });

  it("a face counts 1.5 times its table valence", () => {
    // ":)" is 2 in the table, "great" 3 in AFINN: the same weight in a text
    expect(scoreOf("the order arrived :)")).toBeCloseTo(scoreOf("the order arrived great"), 6);
  });
});
