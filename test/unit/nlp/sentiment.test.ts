import { describe, expect, it } from "vitest";
import { makeTextAnalyzer } from "../../../shared/domain/nlp/index";

const analyzer = makeTextAnalyzer();
const sentimentOf = (text: string, language: string) => analyzer.analyze(text, { language }).sentiment;
const scoreOf = (text: string, language: string) => sentimentOf(text, language)?.score ?? Number.NaN;

describe("negation", () => {
  it.each([
    ["en", "I like it", "I don't like it"],
    ["en", "this is good", "this isn't good"],
    ["en", "the agent was helpful", "the agent wasn't helpful"],
    ["en", "it is good", "it can't be good"],
    ["en", "that was nice", "that won't be nice"],
    ["nl", "het is goed", "het is niet goed"],
    ["de", "das ist gut", "das ist nicht gut"],
    ["es", "es bueno", "no es bueno"],
    ["pt", "é bom", "não é bom"],
    ["fr", "c'est bon", "ce n'est pas bon"],
    ["it", "è buono", "non è buono"],
  ])("[%s] '%s' is positive and '%s' negative", (lang, plain, negated) => {
    expect(sentimentOf(plain, lang)?.label).toBe("positive");
    expect(sentimentOf(negated, lang)?.label).toBe("negative");
  });

  it.each([
    ["en", "The app doesn't work", "negative"],
    ["en", "The package never arrived", "negative"],
    ["en", "Nobody answered my email", "negative"],
    ["nl", "De app werkt niet", "negative"],
    ["de", "Die App funktioniert nicht", "negative"],
    ["es", "La app no funciona", "negative"],
    ["fr", "L'application ne fonctionne pas", "negative"],
  ])("[%s] words neutral alone turn negative when negated: %s", (lang, text, label) => {
    expect(sentimentOf(text, lang)?.label).toBe(label);
  });

  it.each([
    ["en", "not bad", "positive"],
    ["en", "not good", "negative"],
  ])("[%s] a negated negative is mildly positive, a negated positive clearly negative: %s", (lang, text, label) => {
    expect(sentimentOf(text, lang)?.label).toBe(label);
  });

  it.each([
    ["en", "I don't know why, but the support team is great", "positive"],
    ["en", "It is not the price. The service is great", "positive"],
    ["en", "Not sure what happened, anyway the staff were wonderful", "positive"],
    ["en", "no idea about the cause - thanks, the fix was great", "positive"],
  ])("[%s] the negation window ends at a clause or after a few words: %s", (lang, text, label) => {
    expect(sentimentOf(text, lang)?.label).toBe(label);
  });

  it("the window is a few words long", () => {
    // "never" is 5 words before "great": out of reach
    expect(sentimentOf("I never thought the new search feature would be great", "en")?.label).toBe("positive");
  });
});

describe("contrast", () => {
  it.each([
    ["en", "The agent was friendly but the problem is still broken", "negative"],
    ["en", "The wait was annoying but the agent was great", "positive"],
    ["nl", "De wachttijd was vervelend maar de medewerker was geweldig", "positive"],
    ["de", "Die Wartezeit war ärgerlich, aber die Hilfe war toll", "positive"],
    ["es", "La espera fue larga y molesta pero la atención fue excelente", "positive"],
    ["fr", "L'attente était pénible mais l'agent était génial", "positive"],
  ])("[%s] what follows 'but' weighs more: %s", (lang, text, label) => {
    expect(sentimentOf(text, lang)?.label).toBe(label);
  });
});

describe("intensifiers, dampeners, caps and exclamation marks", () => {
  it.each([
    ["en", "good", "very good"],
    ["en", "bad", "extremely bad"],
    ["nl", "goed", "heel goed"],
    ["de", "gut", "sehr gut"],
    ["es", "bueno", "muy bueno"],
    ["fr", "bon", "très bon"],
    ["en", "good", "GOOD service"],
    ["en", "good", "good!!"],
    ["en", "bad", "bad!!!"],
  ])("[%s] '%s' is weaker than '%s'", (lang, weak, strong) => {
    expect(Math.abs(scoreOf(strong, lang))).toBeGreaterThan(Math.abs(scoreOf(weak, lang)));
  });

  it.each([
    ["en", "good", "slightly good"],
    ["en", "bad", "a bit bad"],
    ["en", "annoying", "kind of annoying"],
  ])("[%s] '%s' is stronger than '%s'", (lang, strong, weak) => {
    expect(Math.abs(scoreOf(weak, lang))).toBeLessThan(Math.abs(scoreOf(strong, lang)));
    expect(Math.sign(scoreOf(weak, lang))).toBe(Math.sign(scoreOf(strong, lang)));
  });

  it("an all-caps text gets no extra weight per word", () => {
    expect(scoreOf("THIS IS GOOD", "en")).toBeCloseTo(scoreOf("this is good", "en"), 6);
  });
});

describe("emoji and emoticons", () => {
  it.each([
    ["en", "my order arrived 😍", "positive"],
    ["en", "my order arrived 😡", "negative"],
    ["en", "my order arrived :)", "positive"],
    ["en", "my order arrived :(", "negative"],
    ["nl", "mijn bestelling is er 👍", "positive"],
    ["de", "meine Bestellung ist da 👎", "negative"],
    ["en", "👍", "positive"],
  ])("[%s] %s -> %s", (lang, text, label) => {
    expect(sentimentOf(text, lang)?.label).toBe(label);
  });
});

describe("support phrases", () => {
  it.each([
    ["en", "still waiting for an update", "negative"],
    ["en", "I was put on hold again", "negative"],
    ["en", "no response since Monday", "negative"],
    ["en", "I want to cancel my account", "negative"],
    ["en", "my ticket was resolved", "positive"],
    ["en", "thanks for the quick help", "positive"],
    ["en", "please help me reset my password", "neutral"],
    ["nl", "ik wacht nog steeds op mijn terugbetaling", "negative"],
    ["de", "ich warte immer noch auf eine Antwort", "negative"],
    ["fr", "pas de réponse depuis lundi", "negative"],
    ["es", "sigo esperando la devolución", "negative"],
    ["pt", "ainda esperando o reembolso", "negative"],
    ["it", "nessuna risposta da lunedì", "negative"],
  ])("[%s] %s -> %s", (lang, text, label) => {
    expect(sentimentOf(text, lang)?.label).toBe(label);
  });

  it("reports the phrases and words that moved the score as drivers", () => {
    const s = sentimentOf("Still waiting, and the app doesn't work. Terrible.", "en");
    expect(s?.drivers).toEqual(expect.arrayContaining(["still waiting", "doesn't work", "terrible"]));
  });
});

describe("null sentiment, never NaN", () => {
  it.each([
    ["", undefined, "empty text"],
    ["   ", "en", "empty text"],
    ["<p>&nbsp;</p>", "en", "empty text"],
    ["...!!!", "en", "empty text"],
    ["@acme https://example.com", "en", "no words to judge"],
    ["我的退款还没有到账", undefined, "no sentiment vocabulary for language zh"],
    ["Siparişim hâlâ gelmedi ve kimse cevap vermiyor", "tr", "no sentiment vocabulary for language tr"],
    ["Tilaukseni ei ole vieläkään saapunut", "fi", "no sentiment vocabulary for language fi"],
  ])("%j (hint %s) -> null because %s", (text, language, reason) => {
    const a = analyzer.analyze(text, language ? { language } : undefined);
    expect(a.sentiment).toBeNull();
    expect(a.sentimentReason).toBe(reason);
  });

  it.each(["ok", "the", "1234", "@acme hi", "😐", "!!!!!! good", "not not not", "GOOD!!!! 😍😍😍 amazing awesome"])(
    "scores %j with a finite number in [-1, 1]",
    (text) => {
      const s = sentimentOf(text, "en");
      expect(s).not.toBeNull();
      expect(Number.isFinite(s!.score)).toBe(true);
      expect(Math.abs(s!.score)).toBeLessThanOrEqual(1);
    },
  );
});
