/**
 * The scaled-out compose file holds together (`docker compose config` is not available where the
 * tests run, so its structure is checked here): it parses, every dependency names a service, the
 * one-shots run in order (replica sets, shards, shard-setup) before the app, the app talks to the
 * mongos with the same settings everywhere, the API runs as several replicas behind one published
 * port, and every `${VAR}` it reads is a setting of the config schema.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { configSchema } from "../../../shared/config";

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  deploy?: { replicas?: number };
  profiles?: string[];
}
const text = readFileSync("docker-compose.sharded.yml", "utf8");
const file = parse(text, { merge: true }) as { services: Record<string, Service> };
const services = file.services;

describe("docker-compose.sharded.yml", () => {
  it("names only services that exist as dependencies", () => {
    for (const [name, s] of Object.entries(services)) {
      for (const dep of Object.keys(s.depends_on ?? {})) expect(services[dep], `${name} depends on ${dep}`).toBeDefined();
    }
  });

  it("starts the app only after replica sets, shards and shard keys are set up", () => {
    const before = (name: string): Set<string> => {
      const out = new Set<string>();
      const visit = (n: string) => {
        for (const dep of Object.keys(services[n]?.depends_on ?? {})) {
          if (out.has(dep)) continue;
          out.add(dep);
          visit(dep);
        }
      };
      visit(name);
      return out;
    };
    for (const app of ["api", "worker"]) {
      expect([...before(app)]).toEqual(expect.arrayContaining(["shard-setup", "mongos-init", "mongos", "mongo-rs-init", "mongo-config", "mongo-shard1", "mongo-shard2", "redis"]));
      expect(services[app]!.depends_on!["shard-setup"]!.condition).toBe("service_completed_successfully");
    }
  });

  it("runs the app against the mongos, partitioned, with every API replica behind one published port", () => {
    const appServices = Object.entries(services).filter(([, s]) => s.image === "undercurrent:local");
    expect(appServices.map(([n]) => n).sort()).toEqual(["api", "shard-setup", "worker"]);
    for (const [name, s] of appServices) {
      expect(s.environment, name).toMatchObject({ MONGO_URL: "mongodb://mongos:27017", PARTITIONS: "4" });
      expect(Object.keys(s.environment!).every((k) => k in configSchema.shape), name).toBe(true);
      expect(configSchema.safeParse({ ...s.environment, SECRET_KEY: undefined }).success, name).toBe(true);
    }
    expect(services.api!.deploy!.replicas).toBeGreaterThanOrEqual(2);
    expect(services.worker!.deploy!.replicas).toBeGreaterThanOrEqual(2);
    const published = Object.entries(services).filter(([, s]) => s.ports?.length).map(([n]) => n);
    expect(published).toEqual(["proxy"]);
  });

  it("interpolates only settings of the config schema", () => {
    const vars = [...text.matchAll(/\$\{([A-Z_]+)/g)].map((m) => m[1]!);
    expect(vars.length).toBeGreaterThan(0);
    for (const v of vars) expect(v in configSchema.shape, v).toBe(true);
  });
});
