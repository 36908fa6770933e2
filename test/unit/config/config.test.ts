import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../shared/config";

describe("loadConfig", () => {
  it("gives working defaults for an empty environment", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, HOST: "127.0.0.1", MONGO_DB: "undercurrent", QUEUE_PREFIX: "uc" });
    expect(c.MONGO_URL).toBeUndefined();
    expect(c.REDIS_URL).toBeUndefined();
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ MONGO_URL: "", PORT: "" }).MONGO_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: "http" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ MONGO_URL: "postgres://x" }, "MONGO_URL: must start with mongodb://"],
    [{ REDIS_URL: "localhost:6379" }, "REDIS_URL: must start with redis://"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
  ])("names the bad variable in %o", (env, expected) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(expected);
  });

  it("lists every bad variable at once", () => {
    try {
      loadConfig({ PORT: "x", WORKER_CONCURRENCY: "0" });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/PORT/);
      expect((err as Error).message).toMatch(/WORKER_CONCURRENCY/);
    }
  });
});

describe(".env.example and README", () => {
  it("list exactly the settings the config schema reads", async () => {
    const { readFileSync } = await import("node:fs");
    const { configSchema } = await import("../../../shared/config");
    const keys = Object.keys(configSchema.shape).sort();
    const example = readFileSync(".env.example", "utf8");
    const inExample = [...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]).sort();
    expect(inExample).toEqual(keys);
    const readme = readFileSync("README.md", "utf8");
    for (const k of keys.filter((k) => k !== "NODE_ENV")) expect(readme).toContain(`\`${k}\``);
  });
});
