/**
 * A saved search's query, checked as it is typed by the API's own parser (the same module the API
 * runs, so the message is the API's), with the position of a syntax error underlined.
 */
import { parseQuery } from "../../../shared/domain/query/parser";
import { QuerySyntaxError } from "../../../shared/domain/query/errors";

export function checkQuery(text: string): { position: number; message: string } | null {
  if (!text.trim()) return null;
  try {
    parseQuery(text);
    return null;
  } catch (err) {
    if (err instanceof QuerySyntaxError) return { position: err.position, message: err.message };
    return { position: 0, message: err instanceof Error ? err.message : String(err) };
  }
}

export function QueryEditor({ value, onInput, id }: { value: string; onInput: (v: string) => void; id: string }) {
  const problem = checkQuery(value);
  const at = problem ? Math.min(problem.position, value.length) : 0;
  return (
    <div class="query-editor">
      <textarea
        id={id}
        rows={3}
        value={value}
        spellcheck={false}
        aria-invalid={problem ? "true" : "false"}
        aria-describedby={`${id}-check`}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      <div id={`${id}-check`} aria-live="polite">
        {problem ? (
          <>
            <pre class="query-echo" aria-hidden="true">
              {value.slice(0, at)}
              <span class="syntax-error">{value.slice(at, at + 1) || " "}</span>
              {value.slice(at + 1)}
            </pre>
            <p class="error" data-testid="query-error">
              {problem.message}
            </p>
          </>
        ) : value.trim() ? (
          <p class="ok">✓ the query is valid</p>
        ) : null}
      </div>
    </div>
  );
}
