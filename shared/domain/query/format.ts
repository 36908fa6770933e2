/**
 * AST -> canonical query text. `parseQuery(formatQuery(ast))` gives back `ast` for every AST the
 * parser can produce: AND/OR are written explicitly, every nested AND/OR/NOT-of-group is
 * parenthesized, `-x` is written `NOT x`.
 */
import type { NearOperand, QueryNode } from "./ast";

function value(v: string): string {
  return /^[^\s()"|]+$/u.test(v) ? v : `"${v}"`;
}

function operand(n: NearOperand): string {
  return n.type === "word" ? n.word : `"${n.words.join(" ")}"`;
}

function grouped(n: QueryNode): string {
  return n.type === "and" || n.type === "or" ? `(${formatQuery(n)})` : formatQuery(n);
}

/** Canonical text of a query AST. */
export function formatQuery(node: QueryNode): string {
  switch (node.type) {
    case "and":
      return node.children.map(grouped).join(" AND ");
    case "or":
      return node.children.map(grouped).join(" OR ");
    case "not":
      return `NOT ${grouped(node.child)}`;
    case "word":
    case "phrase":
      return operand(node);
    case "prefix":
      return `${node.prefix}*`;
    case "near":
      return `${operand(node.left)} NEAR/${node.distance}${node.ordered ? "f" : ""} ${operand(node.right)}`;
    case "field":
      return `${node.field}:${node.values.map(value).join("|")}`;
    case "compare":
      return `score:${node.op === "=" ? "" : node.op}${node.value}`;
  }
}
