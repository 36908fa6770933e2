/**
 * Recursive-descent parser: query text -> {@link QueryNode}. Grammar (precedence NOT > AND > OR;
 * NEAR binds two atoms tighter than anything):
 *
 * ```
 * query   := or EOF
 * or      := and ("OR" and)*
 * and     := unary (("AND")? unary)*          -- juxtaposition is an implicit AND
 * unary   := ("NOT" | "-") unary | primary    -- "-" must touch its operand: -refund
 * primary := "(" or ")" | atom (("NEAR/n" | "NEAR/nf") atom)? | prefix | field
 * atom    := word | "quoted phrase"
 * field   := name ":" value ("|" value)*      -- value: bare or "quoted"; score takes <7, >=9, 7
 * ```
 *
 * Parentheses are kept as nesting (no flattening), so `formatQuery` and `parseQuery` round-trip.
 */
import {
  QUERY_FIELDS, QUERY_LIMITS,
  type CompareOp, type FacetField, type NearOperand, type QueryNode,
} from "./ast";
import { QuerySyntaxError } from "./errors";
import { foldText } from "./fold";
import { describe, Lexer, type Token } from "./lexer";
import { CHANNELS, ITEM_KINDS, PLATFORMS } from "../vocabulary";

const TERM = 'a term, phrase or "("';

/** Allowed values per enumerated field; other facet fields take any non-empty value. */
const ENUMS: Partial<Record<FacetField, readonly string[]>> = {
  channel: CHANNELS,
  platform: PLATFORMS,
  kind: ITEM_KINDS,
  sentiment: ["negative", "neutral", "positive"],
};

function startsTerm(t: Token): boolean {
  return ["word", "prefix", "phrase", "field", "lparen", "not", "minus"].includes(t.kind);
}

class Parser {
  private readonly lexer: Lexer;
  private clauses = 0;

  constructor(input: string) {
    this.lexer = new Lexer(input);
  }

  parse(): QueryNode {
    const node = this.parseOr(0);
    const t = this.lexer.peek();
    if (t.kind === "rparen") throw new QuerySyntaxError(t.pos, 'end of query (no "(" is open)', describe(t));
    if (t.kind !== "eof") throw new QuerySyntaxError(t.pos, "AND, OR, a term or end of query", describe(t));
    return node;
  }

  private expectTerm(after: string): void {
    const t = this.lexer.peek();
    if (!startsTerm(t)) throw new QuerySyntaxError(t.pos, `${TERM} after ${after}`, describe(t));
  }

  private parseOr(depth: number): QueryNode {
    const children = [this.parseAnd(depth)];
    while (this.lexer.peek().kind === "or") {
      this.lexer.next();
      this.expectTerm("OR");
      children.push(this.parseAnd(depth));
    }
    return children.length === 1 ? children[0]! : { type: "or", children };
  }

  private parseAnd(depth: number): QueryNode {
    const children = [this.parseUnary(depth)];
    for (;;) {
      const t = this.lexer.peek();
      if (t.kind === "and") {
        this.lexer.next();
        this.expectTerm("AND");
      } else if (!startsTerm(t)) {
        break;
      }
      children.push(this.parseUnary(depth));
    }
    return children.length === 1 ? children[0]! : { type: "and", children };
  }

  private parseUnary(depth: number): QueryNode {
    const t = this.lexer.peek();
    if (t.kind === "not" || t.kind === "minus") {
      this.lexer.next();
      this.expectTerm(t.kind === "not" ? "NOT" : '"-"');
      this.checkDepth(depth + 1, t.pos);
      return { type: "not", child: this.parseUnary(depth + 1) };
    }
    return this.parsePrimary(depth);
  }

  private checkDepth(depth: number, pos: number): void {
    if (depth > QUERY_LIMITS.maxDepth) {
      throw new QuerySyntaxError(pos, `at most ${QUERY_LIMITS.maxDepth} nested groups and NOTs`, "deeper nesting");
    }
  }

  private countClause(pos: number): void {
    if (++this.clauses > QUERY_LIMITS.maxClauses) {
      throw new QuerySyntaxError(pos, `at most ${QUERY_LIMITS.maxClauses} terms and filters`, "more");
    }
  }

  private parsePrimary(depth: number): QueryNode {
    const t = this.lexer.next();
    switch (t.kind) {
      case "lparen": {
        this.checkDepth(depth + 1, t.pos);
        this.expectTerm('"("');
        const inner = this.parseOr(depth + 1);
        const close = this.lexer.next();
        if (close.kind !== "rparen") {
          throw new QuerySyntaxError(close.pos, `")" to close the "(" at ${t.pos}`, describe(close));
        }
        return inner;
      }
      case "word":
      case "phrase": {
        this.countClause(t.pos);
        const left = this.atom(t);
        const op = this.lexer.peek();
        if (op.kind !== "near") return left;
        this.lexer.next();
        const r = this.lexer.next();
        if (r.kind !== "word" && r.kind !== "phrase") {
          throw new QuerySyntaxError(r.pos, `a word or phrase after ${op.text}`, describe(r));
        }
        const after = this.lexer.peek();
        if (after.kind === "near") {
          throw new QuerySyntaxError(after.pos, "AND, OR or a term (NEAR joins exactly two words or phrases)", describe(after));
        }
        return { type: "near", left, right: this.atom(r), distance: op.distance, ...(op.ordered && { ordered: true as const }) };
      }
      case "prefix": {
        this.countClause(t.pos);
        const op = this.lexer.peek();
        if (op.kind === "near") throw new QuerySyntaxError(t.pos, `a word or phrase before ${op.text}`, describe(t));
        return { type: "prefix", prefix: t.prefix };
      }
      case "field":
        this.countClause(t.pos);
        return this.field(t);
      case "near":
        throw new QuerySyntaxError(t.pos, `a word or phrase before ${t.text}`, describe(t));
      default:
        throw new QuerySyntaxError(t.pos, TERM, describe(t));
    }
  }

  private atom(t: Token & { kind: "word" | "phrase" }): NearOperand {
    return t.kind === "word" ? { type: "word", word: t.text } : { type: "phrase", words: t.words };
  }

  private field(t: Token & { kind: "field" }): QueryNode {
    const name = t.name.toLowerCase();
    if (!(QUERY_FIELDS as readonly string[]).includes(name)) {
      throw new QuerySyntaxError(t.pos, `a field name (${QUERY_FIELDS.join(", ")})`, `"${t.name}:"`);
    }
    if (name === "score") {
      const [v, second] = t.values;
      if (second) throw new QuerySyntaxError(second.pos - 1, "a single comparison for score, such as score:<7", '"|"');
      const m = /^(<=|>=|<|>|=)?(-?\d+(?:\.\d+)?)$/.exec(v!.text);
      if (!m || v!.quoted) {
        const op = /^(<=|>=|<|>|=)/.exec(v!.text)?.[1];
        if (op && !v!.quoted) {
          const rest = v!.text.slice(op.length);
          throw new QuerySyntaxError(v!.pos + op.length, `a number after "${op}" for score`, rest === "" ? "nothing" : `"${rest}"`);
        }
        throw new QuerySyntaxError(v!.pos, "a number or a comparison such as <7 or >=9 for score", `"${v!.text}"`);
      }
      return { type: "compare", field: "score", op: (m[1] ?? "=") as CompareOp, value: Number(m[2]) };
    }
    const field = name as FacetField;
    const allowed = ENUMS[field];
    const values = t.values.map((v) => {
      const folded = foldText(v.text);
      if (allowed && !allowed.includes(folded)) {
        throw new QuerySyntaxError(v.pos, `one of ${allowed.join(", ")} for ${field}`, `"${v.text}"`);
      }
      if (field === "lang" && !/^[a-z]{2,3}$/.test(folded)) {
        throw new QuerySyntaxError(v.pos, "a language code such as en or nl for lang", `"${v.text}"`);
      }
      if (folded === "") throw new QuerySyntaxError(v.pos, `a non-empty value for ${field}`, `"${v.text}"`);
      return folded;
    });
    return { type: "field", field, values };
  }
}

/**
 * Parses a saved-search query. Throws {@link QuerySyntaxError} naming the position and what was
 * expected; also when the query is longer than {@link QUERY_LIMITS}.maxLength characters, nests
 * deeper than maxDepth, or has more than maxClauses terms and filters.
 */
export function parseQuery(text: string): QueryNode {
  if (text.length > QUERY_LIMITS.maxLength) {
    throw new QuerySyntaxError(QUERY_LIMITS.maxLength, `at most ${QUERY_LIMITS.maxLength} characters`, `${text.length} characters`);
  }
  return new Parser(text).parse();
}
