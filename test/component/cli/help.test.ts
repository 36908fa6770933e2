/** The CLI explains itself: help for every command group, exit 2 on wrong usage. */
import { afterAll, describe, expect, it } from "vitest";
import { exitWithin, killAllChildren, spawnTs } from "../../support/procs-children";

afterAll(killAllChildren);

async function cli(...args: string[]) {
  const child = spawnTs("cli/main.ts", args, {});
  const exit = await exitWithin(child, 30_000);
  return { code: exit.code, output: child.output() };
}

describe("npm run cli -- help", () => {
  it("lists every command group with no arguments", async () => {
    const { code, output } = await cli();
    expect(code).toBe(0);
    for (const group of ["keys create", "import <file", "secrets rotate"]) expect(output).toContain(group);
  });

  it("prints one group's help for `help <group>` and `<group> --help`", async () => {
    expect((await cli("help", "secrets")).output).toMatch(/^secrets — /);
    const imp = await cli("import", "--help");
    expect(imp.code).toBe(0);
    expect(imp.output).toMatch(/^import — /);
    expect(imp.output).not.toContain("secrets —");
  });

  it("exits 2 with a pointer to the help on wrong usage", async () => {
    const unknown = await cli("nope");
    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain('unknown command "nope"');
    const missing = await cli("keys", "create", "--workspace");
    expect(missing.code).toBe(2);
    expect(missing.output).toMatch(/--workspace.*missing[\s\S]*npm run cli -- help/);
  });
});
