/**
 * When the items still on their way into the trends matter to the figures a page shows. Pure.
 *
 * A steady stream always has some items in flight (a webhook firehose, seconds behind): the page
 * says so, and reloads itself, only when they are at least 1% of the items it shows, the size of
 * change that moves a share by about a point. A page that shows nothing yet is always concerned.
 */
import type { WorkspaceInfo } from "./types";

export type InFlight = WorkspaceInfo["processing"];

/** Items in flight, counting an updated item once per stage it waits in (a bound, not a count). */
const inFlightBound = (p: InFlight): number => p.enriching + p.counting;

export function inFlightMatters(p: InFlight | undefined, itemsShown: number): boolean {
  if (!p) return false;
  const n = inFlightBound(p);
  return n > 0 && n * 100 >= itemsShown;
}
