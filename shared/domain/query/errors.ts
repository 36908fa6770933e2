/**
 * The one error the parser raises. It is a ValidationError, so the API's error handler answers
 * 400 with the message and the field path `query`.
 */
import { ValidationError } from "../../errors";

/**
 * A query that does not parse, or breaks a limit. `message` reads
 * `at 14: expected a term, phrase or "(" after AND, found end of query`.
 */
export class QuerySyntaxError extends ValidationError {
  constructor(
    /** 0-based character offset in the query text */
    readonly position: number,
    /** what the parser expected at `position` */
    readonly expected: string,
    /** what it found there: `end of query` or the quoted text */
    readonly found: string,
  ) {
    const message = `at ${position}: expected ${expected}, found ${found}`;
    super(message, [{ path: "query", message }]);
  }
}
