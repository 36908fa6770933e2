/** What every page shows while it waits or when the API refused: progress, and the API's own message. */
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <p class="error" role="alert">
      <strong>Error:</strong> {message}
    </p>
  );
}

/** Shown while a request runs; says so in words after a moment so a slow answer never looks frozen. */
export function Loading({ what }: { what: string }) {
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setSlow(true), 400);
    return () => clearTimeout(t);
  }, []);
  return (
    <p class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> Loading {what}
      {slow ? "… still working" : "…"}
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}

/** Why a rising-terms answer lists no term: no items, nothing to compare with, or nothing rose. */
export function NoRisingTerms({ documents }: { documents: { current: number; background: number } }) {
  const why =
    documents.current === 0
      ? "No items in this period."
      : documents.background === 0
        ? "Nothing to compare with: the previous period of the same length has no items."
        : "Nothing rose noticeably against the previous period.";
  return (
    <p class="muted" data-testid="no-rising-terms">
      {why}
    </p>
  );
}
