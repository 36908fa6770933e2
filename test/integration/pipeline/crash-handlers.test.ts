/**
 * Every role's entry point goes through onShutdown: an uncaught exception or an unhandled
 * rejection is logged as fatal through pino, the role's close runs, and the process exits 1
 * instead of carrying on in an unknown state; SIGTERM still exits 0.
 */
import { afterAll, describe, expect, it } from "vitest";
import { exitWithin, killAllChildren, spawnTs, waitForOutput } from "../../support/procs-children";

afterAll(killAllChildren);

const ENTRY = "test/fixtures/procs/crashing-role.ts";

describe("crash handlers", () => {
  for (const [how, crash, message] of [
    ["throw", "uncaughtException", "boom in a timer"],
    ["reject", "unhandledRejection", "nobody awaited this"],
  ] as const) {
    it(`log a ${crash} as fatal, close, and exit 1`, async () => {
      const child = spawnTs(ENTRY, [how], {});
      const exit = await exitWithin(child, 15_000);
      expect(exit.code, child.output()).toBe(1);
      const lines = child.output().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
      const fatal = lines.find((l) => l.level === 60);
      expect(fatal, child.output()).toBeDefined();
      expect((fatal!.err as { message: string }).message).toBe(message);
      expect(lines.some((l) => l.crash === crash && l.msg === "shutting down")).toBe(true);
      expect(child.output()).toContain("close ran");
    });
  }

  it("exit 0 on SIGTERM after close", async () => {
    const child = spawnTs(ENTRY, ["wait"], {});
    await waitForOutput(child, /ready/, 15_000);
    child.kill("SIGTERM");
    const exit = await exitWithin(child, 15_000);
    expect(exit.code, child.output()).toBe(0);
    expect(child.output()).toContain("close ran");
  });
});
