/**
 * While accepted items are still on their way into the trends (an import, a burst of webhooks),
 * says so and keeps the page's answers fresh: the workspace is asked again every few seconds and
 * the answers reloaded, then once more when the last item is in.
 */
import { useEffect, useRef } from "preact/hooks";
import { formatCount } from "../format";
import type { WorkspaceInfo } from "../types";
import type { Loaded } from "../use-api";

export const IN_FLIGHT_REFRESH_MS = 5_000;

type InFlight = WorkspaceInfo["processing"];

export const isInFlight = (p: InFlight | undefined): boolean => Boolean(p && (p.enriching > 0 || p.counting > 0));

export function useRefreshWhileInFlight(workspace: Loaded<WorkspaceInfo>, reloadAnswers: () => void): void {
  const wasInFlight = useRef(false);
  useEffect(() => {
    if (!isInFlight(workspace.data?.processing)) {
      // the answers loaded beside the last busy check may predate the last items
      if (wasInFlight.current) reloadAnswers();
      wasInFlight.current = false;
      return;
    }
    wasInFlight.current = true;
    const timer = setTimeout(() => {
      workspace.reload();
      reloadAnswers();
    }, IN_FLIGHT_REFRESH_MS);
    return () => clearTimeout(timer);
  }, [workspace.data]);
}

export function InFlightNote({ processing }: { processing: InFlight | undefined }) {
  if (!processing || !isInFlight(processing)) return null;
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
