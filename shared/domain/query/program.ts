/**
 * A query compiled for one language into a flat program over interned ids, for the percolator.
 *
 * Verifying a candidate with the matcher's closures chases a chain of objects per search (entry,
 * closure, context, children, stem string, the item's Set); with 10k searches those are cold in
 * the CPU cache and a verification costs ~0.5 µs. Here a word or facet value is an integer id
 * whose presence in the current item is one read of a dense stamp array (`mark[id] === stamp`),
 * and a search is a short run of small integers stored inline in the percolator's postings, so
 * verifying a candidate reads memory the percolator is already reading.
 *
 * The code is a flat accumulator machine with forward jumps, run by one loop (no recursion, no
 * call per node). Instructions (operands after the opcode):
 * - `HAS id` — acc = the item has the stem, facet value or term prefix `id`
 * - `TRUE` — acc = true: a clause of stop words only (ignored, matches every item, as in the matcher)
 * - `NOT` — acc = !acc
 * - `JF off` / `JT off` — jump `off` words ahead (from this instruction) if acc is false / true:
 *   AND and OR short-circuit, `a AND b` is `a; JF end; b; end:`
 * - `CALL k` — acc = the matcher's own test number `k` on the item's view: positions (phrases,
 *   NEAR) and score comparisons. A phrase or NEAR is `HAS each term AND CALL` (its stop words
 *   have no term), so the positions are only read when every term is present.
 * - `END` — the result is acc
 * Jumps are relative, so a program can be stored anywhere (inside a postings list).
 *
 * The meaning is the matcher's (`matcher.ts`, the reference); the percolator's property test
 * compares the two on random queries and items.
 */
import { nearWords, type FacetField, type QueryNode } from "./ast";
import type { ItemView } from "./item-view";
import { compileTest, type LanguageNormalizer } from "./matcher";

export const OP_END = 0;
export const OP_HAS = 1;
export const OP_TRUE = 2;
export const OP_NOT = 3;
export const OP_JF = 4;
export const OP_JT = 5;
export const OP_CALL = 6;

export type ViewTest = (v: ItemView) => boolean;

/** Interns what a program refers to: stems of one language, facet values, matcher tests. */
export interface ProgramSymbols {
  stemId(stem: string): number;
  facetId(field: FacetField, value: string): number;
  /** the id marked on items with a term starting with `prefix` */
  prefixId(prefix: string): number;
  callId(test: ViewTest): number;
}

/** What a running program reads about the current item. */
export interface ProgramContext {
  /** per id: the stamp of the last item that had it */
  mark: Int32Array;
  /** the current item's stamp */
  stamp: number;
  /** the tests `CALL` refers to, by id */
  calls: readonly (ViewTest | undefined)[];
  /** the view of the current item (built on first use: most programs never need it) */
  view(): ItemView;
}

/**
 * Compiles `ast` for one language into program code.
 * @param norm the language's word normalizations, memoized by the caller
 */
export function compileProgram(ast: QueryNode, norm: LanguageNormalizer, symbols: ProgramSymbols): number[] {
  const code: number[] = [];
  const terms = (words: readonly string[]) => [...new Set(words.map(norm.term).filter((s) => s !== ""))];
  /** `termsChecked`: the program tests every term of `node` with HAS before this CALL */
  const call = (node: QueryNode, termsChecked = false) =>
    code.push(OP_CALL, symbols.callId(compileTest(node, norm, termsChecked)));
  /** `parts` joined by AND (JF) or OR (JT); every jump lands after the last part */
  const join = (jump: number, parts: (() => void)[]) => {
    const jumps: number[] = [];
    parts.forEach((emitPart, i) => {
      emitPart();
      if (i === parts.length - 1) return;
      jumps.push(code.length);
      code.push(jump, 0);
    });
    for (const at of jumps) code[at + 1] = code.length - at;
  };
  const has = (id: number) => () => void code.push(OP_HAS, id);
  /** all of `ts` present, then the matcher's positional test of `node` */
  const positional = (ts: string[], node: QueryNode) => {
    if (ts.length === 0) call(node, true);
    else join(OP_JF, [...ts.map((t) => has(symbols.stemId(t))), () => call(node, true)]);
  };
  /** a word, or a phrase of one content word: its term (a lone stop word matches every item) */
  const single = (word: string) => {
    const t = norm.term(word);
    code.push(...(t === "" ? [OP_TRUE] : [OP_HAS, symbols.stemId(t)]));
  };
  const emit = (node: QueryNode): void => {
    switch (node.type) {
      case "word":
        single(node.word);
        return;
      case "phrase":
        // (the matcher decides the same way: see compilePhrase)
        if (node.words.length === 1 && norm.term(node.words[0]!) !== "") single(node.words[0]!);
        else positional(terms(node.words), node);
        return;
      case "near":
        positional(terms([...nearWords(node.left), ...nearWords(node.right)]), node);
        return;
      case "field":
        join(OP_JT, [...new Set(node.values)].map((v) => has(symbols.facetId(node.field, v))));
        return;
      case "prefix":
        code.push(OP_HAS, symbols.prefixId(node.prefix));
        return;
      case "compare":
        call(node);
        return;
      case "not":
        emit(node.child);
        code.push(OP_NOT);
        return;
      case "and":
      case "or":
        join(node.type === "and" ? OP_JF : OP_JT, node.children.map((c) => () => emit(c)));
        return;
    }
  };
  emit(ast);
  code.push(OP_END);
  return code;
}

/**
 * The ids of a program that is only `HAS a`, or `HAS a OR HAS b OR ...`; null for any other
 * shape. When these are exactly the ids a search is anchored on, reaching the search through
 * its postings already is the match.
 */
export function hasIdsOfPureOr(code: readonly number[]): number[] | null {
  return idsOfChain(code, false, OP_JT);
}

/**
 * The ids of a program that is only `NOT HAS a`, or `NOT HAS a AND NOT HAS b AND ...` (a search
 * like `-spam -giveaway`); null for any other shape. Such a search matches every item that has
 * none of these ids, so the percolator can veto it from the ids' postings instead of running it
 * for every item.
 */
export function notIdsOfPureAnd(code: readonly number[]): number[] | null {
  return idsOfChain(code, true, OP_JF);
}

/** The ids of a program that is only `HAS id` tests (each followed by NOT when `negated`) joined by `join`; else null. */
function idsOfChain(code: readonly number[], negated: boolean, join: typeof OP_JT | typeof OP_JF): number[] | null {
  const ids: number[] = [];
  // every jump of a flat chain lands on its END; one landing earlier belongs to an enclosing
  // node (`NOT (NOT a AND b)` is `HAS a NOT JF HAS b NOT END` with the jump landing on the last NOT)
  const jumps: number[] = [];
  for (let pc = 0; ; ) {
    if (code[pc] !== OP_HAS) return null;
    ids.push(code[pc + 1]!);
    pc += 2;
    if (negated && code[pc++] !== OP_NOT) return null;
    if (code[pc] === OP_END) return jumps.every((target) => target === pc) ? ids : null;
    if (code[pc] !== join) return null;
    jumps.push(pc + code[pc + 1]!);
    pc += 2;
  }
}

/** Runs the program starting at `pc` of `code` (the percolator stores programs inside its postings lists). */
export function runProgram(code: ArrayLike<number>, pc: number, ctx: ProgramContext): boolean {
  const mark = ctx.mark;
  const stamp = ctx.stamp;
  let acc = false;
  for (;;) {
    switch (code[pc]) {
      case OP_HAS:
        acc = mark[code[pc + 1]!] === stamp;
        pc += 2;
        break;
      case OP_JF:
        pc += acc ? 2 : code[pc + 1]!;
        break;
      case OP_JT:
        pc += acc ? code[pc + 1]! : 2;
        break;
      case OP_NOT:
        acc = !acc;
        pc += 1;
        break;
      case OP_TRUE:
        acc = true;
        pc += 1;
        break;
      case OP_CALL:
        acc = ctx.calls[code[pc + 1]!]!(ctx.view());
        pc += 2;
        break;
      case OP_END:
        return acc;
      default:
        throw new Error(`corrupt program: op ${code[pc]} at ${pc}`);
    }
  }
}
