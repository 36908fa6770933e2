/**
 * What the page's figures do not hold yet, or at all. While accepted items that matter to them are
 * still on their way into the trends (an import, a burst of webhooks), says so and keeps the
 * page's answers fresh: the workspace is asked again every few seconds and the answers reloaded,
 * then once more when they are in. Items the pipeline could not count are said too.
 */
import { useEffect, useRef } from "preact/hooks";
import { formatCount } from "../format";
import { inFlightMatters, type InFlight } from "../in-flight";
import type { WorkspaceInfo } from "../types";
import type { Loaded } from "../use-api";

export const IN_FLIGHT_REFRESH_MS = 5_000;

/**
 * `itemsShown`: how many items stand behind the page's figures (see in-flight.ts); Infinity while
 * unknown. Returns whether the items in flight matter to the page (its note shows then).
 * `reloadAnswers(how)` calls `how` on each answer: `refresh` while items are in flight (an
 * answer slower than the refresh period would otherwise be replaced by the next request before it
 * arrives, and never shown), `reload` once when they are in.
 */
export function useRefreshWhileInFlight(workspace: Loaded<WorkspaceInfo>, itemsShown: number, reloadAnswers: (how: "refresh" | "reload") => void): boolean {
  const wasInFlight = useRef(false);
  const matters = inFlightMatters(workspace.data?.processing, itemsShown);
  useEffect(() => {
    if (!matters) {
      // the answers loaded beside the last busy check may predate the last items: once more, for sure
      if (wasInFlight.current) reloadAnswers("reload");
      wasInFlight.current = false;
      return;
    }
    wasInFlight.current = true;
    const timer = setTimeout(() => {
      workspace.refresh();
      reloadAnswers("refresh");
    }, IN_FLIGHT_REFRESH_MS);
    return () => clearTimeout(timer);
  }, [workspace.data, itemsShown]);
  return matters;
}

/** `matters`: what useRefreshWhileInFlight returned. */
export function InFlightNote({ processing, matters }: { processing: InFlight | undefined; matters: boolean }) {
  if (!processing || !matters) return null;
  const parts = [
    processing.enriching > 0 ? `${formatCount(processing.enriching)} being enriched` : null,
    processing.counting > 0 ? `${formatCount(processing.counting)} waiting to be counted` : null,
  ].filter(Boolean);
  return (
    <p class="warning" role="status" data-testid="in-flight">
      Received items are still being processed ({parts.join(", ")}): the figures on this page update every few seconds until they
      are all in.
    </p>
  );
}

/** Stored items the pipeline could not count are missing from every figure: the page says so. */
export function LeftOutNote({ quarantined }: { quarantined: WorkspaceInfo["quarantined"] | undefined }) {
  if (!quarantined || quarantined.count === 0) return null;
  return (
    <p class="warning" data-testid="left-out-note">
      {formatCount(quarantined.count)} stored {quarantined.count === 1 ? "item is" : "items are"} left out of these figures because the pipeline could
      not count {quarantined.count === 1 ? "it" : "them"}; an admin sees which and why under <a href="/settings#left-out">Settings</a>.
    </p>
  );
}
