import { describe, expect, it } from "vitest";
import { makeTokenSpans, rawTokens, regexRawTokens, tokenSpans } from "../../../shared/domain/nlp/tokenize";
import { SurfaceTable } from "../../../shared/domain/nlp/surface-table";
import { seededRandom } from "../../../bench/support/seeded-random";

const prng = seededRandom;

describe("fast tokenizer gives the regex tokenizer's tokens", () => {
  it.each([
    "",
    "   \t ",
    "My refund still hasn't arrived and nobody answers",
    "I DON'T like it, don’t you? rock'n'roll o'clock 'quoted' it's",
    "Café crème brûlée, Straße, naïve, São Paulo, Ångström, ÇA VA??",
    "Combining: cafe\u0301 and e\u0301te\u0301",
    "@AcmeHelp @bob_x. @a.b.c @. @ #Outage #_ #é #fail! #2024",
    "see https://status.acme.com/incidents/42). and www.example.com. or http://x.co/a?b=1&c=2, ok",
    "www.nodot http:/broken https:// ftp://x.y",
    "😡😡 👍🏽 ❤️ 🤦‍♂️ ✅ © ® ☺ ♥ 🇳🇱 \ud83d lone \udc00 low",
    ":) :-) :)) :-))) ;) ;-) :D :-D :P :p :/ :\\ :| :* :3 :o :O :s :@ :$ (: [: <3 <333 </3 ^_^ ^^ -_- >.< >:( =) =D :'( :')",
    ":DDD :PP :Dodge :oo ^.^ -.- >_< ;_; ;_ -._ a-.-b",
    "10:30 3:3x a:Dx (:b :-/c re:do",
    "Wait... really?! No!!! Ok… 好。是！吗？ yes,no;maybe:sure",
    "line one\nline two\r\nline three",
    "<div><p>Hi&nbsp;team,</p><p>The invoice &amp; receipt are <b>wrong</b>.</p></div>",
    "我的退款还没有到账 返金がまだ届いていません 환불이 아직 Мой возврат",
    "numbers 42nd 3.5 10,000 1st-class e-mail x2 2x co-op",
    "tabs\tand\u00a0nbsp\u2028separators\ufeffbom",
  ])("%j", (text) => {
    expect(rawTokens(text)).toEqual(regexRawTokens(text));
  });

  it("agrees on 20,000 random strings over tricky characters", () => {
    const alphabet = [
      "a", "B", "z", "0", "9", "'", "’", "@", "#", "_", ".", "!", "?", ",", ";", ":", "=", "(", ")", "[", "]",
      "<", ">", "/", "3", "^", "D", "p", "s", "o", "-", "\\", "|", "*", "$", " ", "\n", "\t", "é", "É", "ü", "ß",
      "…", "。", "😡", "👍🏽", "❤️", "\u0301", "中", "h", "t", "w", "http://", "https://", "www.", "\u00a0", '"',
      "&", "ª", "©", "\ud83d", "\udc00", " don't ", "e'", "0.5",
    ];
    const rnd = prng(42);
    const bad: string[] = [];
    for (let k = 0; k < 20_000; k++) {
      const len = 1 + Math.floor(rnd() * 14);
      let s = "";
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      if (JSON.stringify(rawTokens(s)) !== JSON.stringify(regexRawTokens(s))) bad.push(s);
    }
    expect(bad).toEqual([]);
  });
});

describe("SurfaceTable", () => {
  it("finds a span of a text by its characters, grows, and clears when full", () => {
    const t = new SurfaceTable<number>(1000);
    const text = "alpha beta gamma beta";
    const put = (w: string, v: number) => t.set(w, SurfaceTable.hash(w, 0, w.length), v);
    const get = (s: number, e: number) => t.get(text, s, e, SurfaceTable.hash(text, s, e));
    put("alpha", 1);
    put("beta", 2);
    expect(get(0, 5)).toBe(1);
    expect(get(6, 10)).toBe(2);
    expect(get(17, 21)).toBe(2);
    expect(get(11, 16)).toBeUndefined();
    expect(get(0, 4)).toBeUndefined(); // "alph": a prefix is another key
    for (let i = 0; i < 998; i++) put(`w${i}`, i); // grows past its first capacity
    expect(get(0, 5)).toBe(1);
    expect(t.get("w997", 0, 4, SurfaceTable.hash("w997", 0, 4))).toBe(997);
    put("overflow", 7); // the 1001st entry clears the table first
    expect(get(0, 5)).toBeUndefined();
    expect(t.get("overflow", 0, 8, SurfaceTable.hash("overflow", 0, 8))).toBe(7);
  });

  it("with max 0 stores nothing", () => {
    const t = new SurfaceTable<number>(0);
    t.set("a", SurfaceTable.hash("a", 0, 1), 1);
    expect(t.get("a", 0, 1, SurfaceTable.hash("a", 0, 1))).toBeUndefined();
  });
});

describe("span hashes and packed keys", () => {
  it("are SurfaceTable's hash and key of the span wherever the scanner computed them", () => {
    const texts = [
      "My refund still hasn't arrived, don't you? rock'n'roll o'clock 'quoted' it's x",
      "@AcmeHelp @bob_x. @a.b.c @. @ #Outage #_ #fail! #2024 don't2 a'b'c",
      "Café crème, ÇA VA?? mixed wordé and don’t",
    ];
    const rnd = prng(7);
    const alphabet = ["a", "Z", "0", "'", "@", "#", "_", ".", " ", "é", "!", "x'", "’"];
    for (let k = 0; k < 2_000; k++) {
      let s = "";
      for (let i = 0, len = 1 + Math.floor(rnd() * 12); i < len; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      texts.push(s);
    }
    const spans = makeTokenSpans();
    let computed = 0;
    for (const text of texts) {
      tokenSpans(text, spans);
      for (let i = 0; i < spans.length; i++) {
        const h = spans.hashes[i]!;
        if (h === 0) continue;
        computed++;
        expect(h).toBe(SurfaceTable.hash(text, spans.starts[i]!, spans.ends[i]!));
        // and the packed key finds what the table stored for the span's text
        const word = text.slice(spans.starts[i], spans.ends[i]);
        const table = new SurfaceTable<string>(10);
        table.set(word, SurfaceTable.hash(word, 0, word.length), word);
        const k = spans.keys;
        expect(table.getPacked(k[3 * i]!, k[3 * i + 1]!, k[3 * i + 2]!, h)).toBe(word);
      }
    }
    expect(computed).toBeGreaterThan(1_000);
  });
});

describe("SurfaceTable keys", () => {
  it("tells apart keys that differ anywhere, packed (short ASCII) or not", () => {
    const keys = [
      "a", "b", "ab", "ba", "abc", "abcd", "abce", "abcde", "abcdefgh", "abcdefgi", "abcdefghijkl", "abcdefghijkm",
      "abcdefghijklm", "abcdefghijkln", "abcdefghijklmn", "abcdefghijklmno", "abcdefghijklmnp", "abcdefghijklmnop", "é", "e", "café", "cafe", "caf\u0301", "x\u1000y", "x\u0080y", "xAy", "don't",
      "DON'T", "😡", "a😡", "",
    ];
    const t = new SurfaceTable<number>(1000);
    keys.forEach((k, i) => t.set(k, SurfaceTable.hash(k, 0, k.length), i));
    // found as spans of a longer text, with every other key's hash forced to collide
    keys.forEach((k, i) => {
      const text = `<${k}>`;
      expect(t.get(text, 1, 1 + k.length, SurfaceTable.hash(k, 0, k.length))).toBe(i);
    });
    const same = new SurfaceTable<number>(1000);
    keys.forEach((k, i) => same.set(k, 7, i)); // one hash for all: only the comparison decides
    keys.forEach((k, i) => expect(same.get(` ${k} `, 1, 1 + k.length, 7)).toBe(i));
    expect(same.get("abcf", 0, 4, 7)).toBeUndefined();
    expect(same.get("x\u1080y", 0, 3, 7)).toBeUndefined();
  });

  it("finds keys of every length up to 40 again", () => {
    const t = new SurfaceTable<number>(1000);
    for (let n = 1; n <= 40; n++) {
      const k = "k".repeat(n);
      t.set(k, SurfaceTable.hash(k, 0, n), n);
      expect(t.get(` ${k} `, 1, 1 + n, SurfaceTable.hash(k, 0, n))).toBe(n);
    }
  });
});

describe("ascii flag", () => {
  it("is set only when every character of the text is ASCII", () => {
    const rnd = prng(11);
    const alphabet = ["a", "Z", "0", "'", "@", "#", ".", " ", "!", ":)", "é", "😡", "中", "http://x.co/é", "www.é.com", ":-", "\u00a0"];
    const spans = makeTokenSpans();
    for (let k = 0; k < 3_000; k++) {
      let s = "";
      for (let i = 0, len = Math.floor(rnd() * 10); i < len; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      tokenSpans(s, spans);
      if (spans.ascii) expect(/^[\u0000-\u007f]*$/.test(s)).toBe(true);
    }
  });
});
