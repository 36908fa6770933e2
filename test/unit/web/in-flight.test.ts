import { describe, expect, it } from "vitest";
import { inFlightMatters } from "../../../web/src/in-flight";

describe("whether items in flight matter to a page's figures", () => {
  it("matters when they are at least 1% of the items shown, or anything at all on an empty page", () => {
    expect(inFlightMatters({ enriching: 1_200, counting: 300 }, 950)).toBe(true); // an import
    expect(inFlightMatters({ enriching: 1, counting: 0 }, 0)).toBe(true);
    expect(inFlightMatters({ enriching: 6, counting: 4 }, 1_000)).toBe(true); // exactly 1%
    expect(inFlightMatters({ enriching: 6, counting: 3 }, 1_000)).toBe(false);
    expect(inFlightMatters({ enriching: 1_500, counting: 500 }, 1_000_000)).toBe(false); // a firehose, seconds behind
  });

  it("does not matter with nothing in flight, no answer yet, or figures not loaded (Infinity)", () => {
    expect(inFlightMatters({ enriching: 0, counting: 0 }, 0)).toBe(false);
    expect(inFlightMatters(undefined, 0)).toBe(false);
    expect(inFlightMatters({ enriching: 10, counting: 0 }, Number.POSITIVE_INFINITY)).toBe(false);
  });
});
