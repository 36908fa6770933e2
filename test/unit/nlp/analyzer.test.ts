import { describe, expect, it } from "vitest";
import { enrichmentOf, makeTextAnalyzer, normalizeQueryWord } from "../../../shared/domain/nlp/index";

const analyzer = makeTextAnalyzer();

describe("language", () => {
  it.each([
    ["My refund still hasn't arrived and nobody answers", "en"],
    ["Mijn terugbetaling is nog steeds niet binnen", "nl"],
    ["Meine Rückerstattung ist immer noch nicht da", "de"],
    ["Mon remboursement n'est toujours pas arrivé", "fr"],
    ["Mi reembolso todavía no ha llegado", "es"],
    ["Meu reembolso ainda não chegou", "pt"],
    ["Il mio rimborso non è ancora arrivato", "it"],
    ["我的退款还没有到账", "zh"],
    ["返金がまだ届いていません", "ja"],
    ["환불이 아직 도착하지 않았습니다", "ko"],
    ["Мой возврат до сих пор не пришёл", "ru"],
    ["", "und"],
    // English with none of the most common function words: pronouns, modals, time words vote
    ["Website broken since yesterday", "en"],
    ["Always late, never sorry", "en"],
  ])("detects %j as %s", (text, lang) => {
    expect(analyzer.analyze(text).language).toBe(lang);
  });

  it("a hint wins over detection and keeps only the primary subtag", () => {
    expect(analyzer.analyze("Mi reembolso todavía no ha llegado", { language: "pt-BR" }).language).toBe("pt");
  });

  it("falls back to the configured language when detection cannot decide", () => {
    const withFallback = makeTextAnalyzer({ fallbackLanguage: "en" });
    expect(analyzer.analyze("Flight Cancelled").language).toBe("und");
    expect(withFallback.analyze("Flight Cancelled").language).toBe("en");
  });
});

describe("normalization and tokens", () => {
  it.each([
    ["en", "Refunds REFUNDED refunding", ["refund", "refund", "refund"]],
    ["en", "Café crème", ["cafe", "creme"]],
    ["fr", "Réponse reponse RÉPONSES", ["repons", "repons", "repons"]],
    ["de", "Straße strasse", ["strass", "strass"]],
    ["en", "the customer's order", ["custom", "order"]],
    ["fr", "l'aide d'urgence", ["aid", "urgenc"]],
  ])("[%s] %j -> %j (lowercase, accent-folded, stemmed, stop words out)", (language, text, tokens) => {
    expect(analyzer.analyze(text, { language }).tokens).toEqual(tokens);
  });

  it("keeps URLs, @handles and #hashtags as single terms, and emoji as signal tokens", () => {
    const a = analyzer.analyze("@AcmeHelp login broken again #Outage https://status.acme.com/incidents/42 😡 :(", { language: "en" });
    expect(a.tokens).toEqual(["@acmehelp", "login", "broken", "#outage", "https://status.acme.com/incidents/42", "😡", ":("]);
    expect(a.surfaces).toEqual(["@AcmeHelp", "login", "broken", "#Outage", "https://status.acme.com/incidents/42", "😡", ":("]);
  });

  it("strips HTML tags, decodes entities and treats block tags as clause breaks", () => {
    const body =
      "<div><p>Hi&nbsp;team,</p><p>The invoice &amp; receipt are <b>wrong</b>.</p><style>p{color:red}</style>" +
      "<script>alert(1)</script><p>I&#39;m not happy</p></div>";
    const a = analyzer.analyze(body, { language: "en" });
    expect(a.tokens).toEqual(["hi", "team", "invoic", "receipt", "wrong", "i'm", "not", "happi"]);
    expect(a.tokens.join(" ")).not.toMatch(/style|color|alert|nbsp|amp|div/);
    expect(a.sentiment?.label).toBe("negative");
    // "team" and "invoice" are in different paragraphs: not consecutive positions
    const team = a.tokens.indexOf("team");
    expect(a.positions[team + 1]! - a.positions[team]!).toBeGreaterThan(1);
  });

  it("positions leave gaps for removed stop words and clause breaks", () => {
    const a = analyzer.analyze("refund the order, refund request", { language: "en" });
    expect(a.tokens).toEqual(["refund", "order", "refund", "request"]);
    expect(a.positions).toEqual([0, 2, 4, 5]);
  });

  it("segments Chinese and Japanese with Intl.Segmenter", () => {
    const zh = analyzer.analyze("我的退款还没有到账，客服也不回复");
    expect(zh.language).toBe("zh");
    expect(zh.tokens).toContain("退款");
    expect(zh.tokens).toContain("回复");
    expect(zh.tokens.every((t) => t.length <= 4)).toBe(true);
    expect(zh.sentiment).toBeNull();
    const ja = analyzer.analyze("注文した商品がまだ届きません");
    expect(ja.tokens).toEqual(expect.arrayContaining(["注文", "商品"]));
  });

  it("gives tokens but no sentiment for an unsupported language", () => {
    const a = analyzer.analyze("Tilaukseni ei ole vieläkään saapunut", { language: "fi" });
    expect(a.tokens).toEqual(["tilaukseni", "ei", "ole", "vielakaan", "saapunut"]);
    expect(a.sentiment).toBeNull();
    expect(a.sentimentReason).toBe("no sentiment vocabulary for language fi");
  });
});

describe("normalizeQueryWord", () => {
  it.each([
    ["Refunds", "en", "refund"],
    ["the", "en", ""],
    ["RÉPONSES", "fr", "repons"],
    ["l'aide", "fr", "aid"],
    ["#Outage", "en", "#outage"],
    ["", "en", ""],
  ])("%j in %s -> %j", (word, language, term) => {
    expect(normalizeQueryWord(word, language)).toBe(term);
  });

  it("matches what the analyzer stores for the same word", () => {
    const a = analyzer.analyze("Terugbetalingen worden geweigerd", { language: "nl" });
    expect(a.tokens).toContain(normalizeQueryWord("terugbetalingen", "nl"));
    expect(a.tokens).toContain(normalizeQueryWord("GEWEIGERD", "nl"));
  });
});

describe("memoization", () => {
  it("changes no result: a memoizing, a tiny-cache and a non-memoizing analyzer agree", () => {
    const texts = [
      "I don't like this at all. Still waiting for my refund!!",
      "Ik wacht nog steeds op een reactie, dit werkt niet",
      "Das funktioniert nicht, sehr enttäuschend",
      "Gracias por la ayuda rápida 😍",
      "我的退款还没有到账",
    ];
    const big = makeTextAnalyzer();
    const tiny = makeTextAnalyzer({ stemCacheSize: 3 });
    const none = makeTextAnalyzer({ stemCacheSize: 0 });
    for (let round = 0; round < 3; round++) {
      for (const t of texts) {
        const expected = none.analyze(t);
        expect(big.analyze(t)).toEqual(expected);
        expect(tiny.analyze(t)).toEqual(expected);
      }
    }
  });
});

describe("enrichmentOf", () => {
  it("builds the stored shape with distinct terms and keywords", () => {
    const a = analyzer.analyze("Refund please, refund now", { language: "en" });
    const e = enrichmentOf(a, { docCount: 10, df: () => 1 }, 3);
    expect(e.language).toBe("en");
    expect(e.tokens).toEqual(["refund", "pleas", "refund"]);
    expect(e.terms).toEqual(["refund", "pleas"]);
    expect(e.keywords.length).toBeLessThanOrEqual(3);
    expect(e.keywords[0]?.term).toBe("refund");
    expect(e.sentimentReason).toBeUndefined();
  });

  it.each([
    ["a short text", "500 refund 😡 https://a.co/x refund 500 @acme 😡 order"],
    ["a long text", Array.from({ length: 12 }, () => "500 refund 😡 https://a.co/x refund 500 @acme 😡 order").join(" ")],
  ])("terms are every distinct token in first-seen order, keywords or not, in %s", (_, text) => {
    const a = analyzer.analyze(text, { language: "en" });
    const expected = [...new Set(a.tokens)];
    expect(enrichmentOf(a, { docCount: 10, df: () => 1 }).terms).toEqual(expected);
    expect(enrichmentOf(a, { docCount: 10, df: () => 1 }, 0)).toMatchObject({ terms: expected, keywords: [] });
  });

  it("carries the reason when sentiment is null", () => {
    const e = enrichmentOf(analyzer.analyze(""), { docCount: 0, df: () => 0 });
    expect(e).toEqual({ language: "und", tokens: [], words: [], terms: [], keywords: [], sentiment: null, sentimentReason: "empty text" });
  });

  it("adds the word inside each hashtag to the terms (after the tokens), not to the tokens", () => {
    const e = enrichmentOf(analyzer.analyze("Where is my #Refunds, #refund and #RefundNow", { language: "en" }), { docCount: 1, df: () => 0 });
    expect(e.tokens).toEqual(["#refunds", "#refund", "#refundnow"]);
    expect(e.terms).toEqual(["#refunds", "#refund", "#refundnow", "refund", "refundnow"]);
  });
});

describe("words as written (what phrases and NEAR count)", () => {
  it.each([
    // stop words keep their place, folded and unstemmed; other words are their terms
    ["Still waited on hold, thank you!", "en", ["still", "wait", "on", "hold", "thank", "you"]],
    // punctuation takes no position; handles, hashtags, URLs and emoji take one each
    ["flight into ATL is delayed... @United #FAIL https://a.co/x 😡", "en", ["flight", "into", "atl", "is", "delai", "@united", "#fail", "https://a.co/x", "😡"]],
    // an elided word is one word (its last part): "l'avion" is "avion"
    ["Je prends l'avion", "fr", ["je", "prend", "avion"]],
  ])("%j (%s) -> %j", (text, language, words) => {
    expect(analyzer.analyze(text, { language }).words).toEqual(words);
  });

  it.each([
    ["still", "en", "", "still"],
    ["You", "en", "", "you"],
    ["waited", "en", "wait", "wait"],
    ["#Refund", "en", "#refund", "#refund"],
    ["@United", "en", "@united", "@united"],
    ["l'avion", "fr", "avion", "avion"],
  ])("the query word %j (%s) is the term %j and the word %j", (word, language, term, asWritten) => {
    expect(normalizeQueryWord(word, language)).toBe(term);
    expect(normalizeQueryWord(word, language, true)).toBe(asWritten);
  });

  it("keeps every word of a text as the query side normalizes it (random texts from a small vocabulary)", () => {
    const vocab = ["I", "was", "waiting", "for", "the", "Refunds", "on", "hold", "thank", "you", "so", "much", "not", "at", "all", "#Refund", "@acme"];
    let seed = 7;
    const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 200; n++) {
      const ws = Array.from({ length: 1 + Math.floor(rnd() * 10) }, () => vocab[Math.floor(rnd() * vocab.length)]!);
      const a = analyzer.analyze(ws.join(" "), { language: "en" });
      expect(a.words).toEqual(ws.map((w) => normalizeQueryWord(w, "en", true)));
      expect(a.tokens).toEqual(ws.map((w) => normalizeQueryWord(w, "en")).filter((t) => t !== ""));
    }
  });
});
