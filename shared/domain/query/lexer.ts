/**
 * On-demand lexer for the query language. The parser pulls one token at a time, so the first
 * error in reading order is the one reported. Operators are upper-case only (`AND`, `OR`, `NOT`,
 * `NEAR/n`); lower-case `and`/`or`/`not` are ordinary words, as in Lucene.
 */
import { QUERY_LIMITS } from "./ast";
import { QuerySyntaxError } from "./errors";
import { foldText } from "./fold";

export interface FieldValueToken {
  text: string;
  quoted: boolean;
  /** offset of the value (of its opening quote when quoted) */
  pos: number;
}

interface TokenBase {
  pos: number;
  /** the source text of the token, for error messages */
  text: string;
}
export type Token =
  | (TokenBase & { kind: "lparen" | "rparen" | "and" | "or" | "not" | "minus" | "eof" })
  | (TokenBase & { kind: "near"; distance: number; ordered: boolean })
  | (TokenBase & { kind: "word" })
  | (TokenBase & { kind: "prefix"; prefix: string })
  | (TokenBase & { kind: "phrase"; words: string[] })
  | (TokenBase & { kind: "field"; name: string; values: FieldValueToken[] });

/** Characters that end a bare word. */
const WORD_END = /[\s()":]/u;
/** Characters that end a bare field value. */
const VALUE_END = /[\s()"|]/u;

/** How an error message names a token: `end of query` or the quoted source text. */
export function describe(token: Token): string {
  return token.kind === "eof" ? "end of query" : `"${token.text}"`;
}

export class Lexer {
  private offset = 0;
  private peeked: Token | undefined;

  constructor(private readonly input: string) {}

  peek(): Token {
    this.peeked ??= this.read();
    return this.peeked;
  }

  next(): Token {
    const t = this.peek();
    this.peeked = undefined;
    return t;
  }

  private foundAt(i: number): string {
    const c = this.input[i];
    if (c === undefined) return "end of query";
    return /\s/.test(c) ? "a space" : `"${c}"`;
  }

  private read(): Token {
    const s = this.input;
    let i = this.offset;
    while (i < s.length && /\s/.test(s[i]!)) i++;
    const pos = i;
    if (i >= s.length) {
      this.offset = i;
      return { kind: "eof", pos, text: "" };
    }
    const c = s[i]!;
    if (c === "(" || c === ")") {
      this.offset = i + 1;
      return { kind: c === "(" ? "lparen" : "rparen", pos, text: c };
    }
    if (c === '"') return this.readPhrase(pos);
    if (c === "-") {
      const n = s[i + 1];
      if (n === undefined || /[\s)]/.test(n)) {
        throw new QuerySyntaxError(i + 1, 'a term, phrase or "(" right after "-"', this.foundAt(i + 1));
      }
      this.offset = i + 1;
      return { kind: "minus", pos, text: "-" };
    }
    if (c === ":") throw new QuerySyntaxError(pos, 'a field name before ":"', '":"');
    let j = i;
    while (j < s.length && !WORD_END.test(s[j]!)) j++;
    const run = s.slice(i, j);
    if (s[j] === ":") return this.readField(pos, run, j + 1);
    this.offset = j;
    if (run === "AND") return { kind: "and", pos, text: run };
    if (run === "OR") return { kind: "or", pos, text: run };
    if (run === "NOT") return { kind: "not", pos, text: run };
    if (run === "NEAR" || run.startsWith("NEAR/")) {
      // NEAR/3: either order; NEAR/3f: the left side first (Brandwatch's notation)
      const m = /^NEAR\/(\d{1,6})(f?)$/.exec(run);
      if (!m) throw new QuerySyntaxError(pos, "a distance after NEAR, as in NEAR/3 or NEAR/3f (in order)", `"${run}"`);
      const distance = Number(m[1]);
      if (distance > QUERY_LIMITS.maxNearDistance) {
        throw new QuerySyntaxError(pos + 5, `a NEAR distance of at most ${QUERY_LIMITS.maxNearDistance}`, `"${m[1]}"`);
      }
      return { kind: "near", pos, text: run, distance, ordered: m[2] === "f" };
    }
    const star = run.indexOf("*");
    if (star >= 0) {
      if (star !== run.length - 1) {
        throw new QuerySyntaxError(pos + star, '"*" only at the end of a word (prefix search)', `"${run}"`);
      }
      const prefix = foldText(run.slice(0, -1));
      if (prefix.length < QUERY_LIMITS.minPrefixLength) {
        throw new QuerySyntaxError(pos, `at least ${QUERY_LIMITS.minPrefixLength} characters before "*"`, `"${run}"`);
      }
      return { kind: "prefix", pos, text: run, prefix };
    }
    return { kind: "word", pos, text: run };
  }

  private readPhrase(pos: number): Token {
    const s = this.input;
    const close = s.indexOf('"', pos + 1);
    if (close < 0) {
      throw new QuerySyntaxError(s.length, `a closing quote for the phrase opened at ${pos}`, "end of query");
    }
    const words = s.slice(pos + 1, close).split(/\s+/).filter((w) => w !== "");
    if (words.length === 0) throw new QuerySyntaxError(pos, "a word inside the quotes", '""');
    if (words.length > QUERY_LIMITS.maxPhraseWords) {
      throw new QuerySyntaxError(pos, `at most ${QUERY_LIMITS.maxPhraseWords} words in a phrase`, `${words.length} words`);
    }
    this.offset = close + 1;
    return { kind: "phrase", pos, text: s.slice(pos, close + 1), words };
  }

  private readField(pos: number, name: string, start: number): Token {
    const s = this.input;
    const values: FieldValueToken[] = [];
    let j = start;
    for (;;) {
      if (s[j] === '"') {
        const close = s.indexOf('"', j + 1);
        if (close < 0) {
          throw new QuerySyntaxError(s.length, `a closing quote for the value opened at ${j}`, "end of query");
        }
        values.push({ text: s.slice(j + 1, close), quoted: true, pos: j });
        j = close + 1;
      } else {
        let k = j;
        while (k < s.length && !VALUE_END.test(s[k]!)) k++;
        if (k === j) throw new QuerySyntaxError(j, `a value after "${name}:"`, this.foundAt(j));
        values.push({ text: s.slice(j, k), quoted: false, pos: j });
        j = k;
      }
      if (values.length > QUERY_LIMITS.maxListValues) {
        throw new QuerySyntaxError(values.at(-1)!.pos, `at most ${QUERY_LIMITS.maxListValues} values in a list`, "more");
      }
      if (s[j] !== "|") break;
      j++;
    }
    this.offset = j;
    return { kind: "field", pos, text: s.slice(pos, j), name, values };
  }
}
