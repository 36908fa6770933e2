/** A form's submit: busy while the call runs, its error (if any) kept for an ErrorBox. */
import { useState } from "preact/hooks";

export function useSubmit(): { busy: boolean; error: unknown; submit: (work: () => Promise<void>) => (e: Event) => Promise<void> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = (work: () => Promise<void>) => async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      await work();
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}
