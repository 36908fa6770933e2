/**
 * The JSON body parser: like Fastify's own (secure-json-parse, so `__proto__` and
 * `constructor.prototype` can never reach an object), but its 400s say what and where — the line
 * and column of a syntax error, or the forbidden key by name — instead of "Body is not valid JSON".
 */
import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";
import sjson from "secure-json-parse";
import { AppError } from "../../shared/errors";

/** A 400 with a stable code and the body named as the field. */
function bodyError(code: string, message: string): AppError {
  return new AppError(code, 400, message, false, { issues: [{ path: "(body)", message }] });
}

/** 1-based line and column of a character offset in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < Math.min(offset, text.length); i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Where parsing fails, for the messages of V8 that carry no position ("Unexpected token 'x', ...
 * is not valid JSON"): the longest prefix that still parses as far as it goes (JSON.parse fails
 * only for want of more input) ends where the error is. Binary search: a few parses, error path only.
 */
function errorOffsetOf(text: string): number | null {
  const incompleteOnly = (n: number): boolean => {
    try {
      JSON.parse(text.slice(0, n));
      return true;
    } catch (e) {
      const m = (e as Error).message;
      const pos = /position (\d+)/.exec(m);
      return /end of JSON input/.test(m) || (pos !== null && Number(pos[1]) >= n);
    }
  };
  let lo = 0;
  let hi = text.length;
  if (incompleteOnly(hi)) return null;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (incompleteOnly(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The error of a body that is not JSON, or holds a key we never accept, naming where. */
export function jsonBodyError(text: string, err: Error): AppError {
  if (/prototype property/i.test(err.message)) {
    const key = /constructor/i.test(err.message) ? "constructor.prototype" : "__proto__";
    const message = `the body holds a "${key}" key, which is never a field here (refused so it cannot reach any object); remove it`;
    return bodyError("forbidden_field", message);
  }
  const at = /position (\d+)/.exec(err.message);
  const endsEarly = /end of JSON input/.test(err.message);
  const offset = at ? Number(at[1]) : endsEarly ? text.length : errorOffsetOf(text);
  const where = offset === null ? null : lineAndColumn(text, offset);
  // V8's text, without the copy of the body some messages carry.
  const detail = endsEarly ? "it ends before the value is complete" : err.message.replace(/ in JSON at position \d+.*$/s, "").replace(/, (\.\.\.)?".*" is not valid JSON$/s, "");
  const message = where
    ? `the body is not valid JSON: ${detail} at line ${where.line}, column ${where.column}`
    : `the body is not valid JSON: ${detail}`;
  return bodyError("malformed_json", message);
}

export default fp(
  async function jsonBodyPlugin(app: FastifyInstance) {
    app.removeContentTypeParser("application/json");
    app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
      const text = body as string;
      if (text.length === 0) return done(bodyError("empty_body", "the body is empty; send a JSON object"), undefined);
      try {
        done(null, sjson.parse(text, undefined, { protoAction: "error", constructorAction: "error" }));
      } catch (err) {
        done(jsonBodyError(text, err as Error), undefined);
      }
    });
  },
  { name: "json-body" },
);
