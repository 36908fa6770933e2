import { makeTextAnalyzer, keywordsOf, normalizeQueryWord } from "../../shared/domain/nlp/index";
const a = makeTextAnalyzer();
const texts = [
  "I don't like this at all. Still waiting for my refund!!",
  "Not bad, but the app keeps crashing 😡 @acme #fail https://x.co/abc",
  "<p>Hello&nbsp;team,</p><p>Thanks for the quick help &amp; the refund!</p>",
  "Ik wacht nog steeds op een reactie, dit werkt niet",
  "Das funktioniert nicht, sehr enttäuschend",
  "Je n'ai pas reçu de réponse, c'est inacceptable",
  "Sigo esperando una respuesta, muy mal servicio",
  "Ainda esperando o reembolso, péssimo atendimento",
  "Il servizio è ottimo, grazie per l'aiuto rapido",
  "我的退款还没有到账，客服也不回复",
  "注文した商品がまだ届きません",
  "Siparişim hâlâ gelmedi ve kimse cevap vermiyor, berbat bir hizmet",
  "",
  "This is GREAT service",
  "The flight was not delayed. Great crew",
];
for (const t of texts) {
  const r = a.analyze(t);
  console.log(JSON.stringify(t).slice(0, 50), r.language, r.tokens.join("|"), JSON.stringify(r.sentiment), r.sentimentReason ?? "");
}
const an = a.analyze("Hello, I need a refund for my refund request. Hello?");
console.log(keywordsOf(an, { docCount: 1000, df: (t) => (t === "hello" ? 900 : t === "refund" ? 20 : 100) }));
console.log(normalizeQueryWord("Refunds", "en"), normalizeQueryWord("the", "en"), normalizeQueryWord("réponses", "fr"));
