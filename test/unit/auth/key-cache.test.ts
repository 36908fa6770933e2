import { describe, expect, it } from "vitest";
import { withKeyCache, type ApiKeysRepo } from "../../../shared/db/api-keys-repo";
import type { ApiKeyDoc } from "../../../shared/db/collections";

function countingRepo(doc: ApiKeyDoc | null) {
  const calls: string[] = [];
  const repo = {
    create: async () => { throw new Error("unused"); },
    findActive: async (key: string) => (calls.push(key), doc),
  } as unknown as ApiKeysRepo;
  return { repo, calls };
}
const DOC: ApiKeyDoc = { _id: "h", workspace: "acme", scopes: ["read"], name: "x", prefix: "uc_", createdAt: new Date(0) };

describe("withKeyCache", () => {
  it("answers repeated lookups of a key from memory until the TTL passes", async () => {
    let t = 0;
    const { repo, calls } = countingRepo(DOC);
    const cached = withKeyCache(repo, 1_000, () => t);
    expect(await cached.findActive("k1")).toBe(DOC);
    t = 999;
    expect(await cached.findActive("k1")).toBe(DOC);
    expect(calls).toEqual(["k1"]);
    t = 1_000;
    await cached.findActive("k1");
    expect(calls).toEqual(["k1", "k1"]);
  });

  it("remembers misses too, and keys separately", async () => {
    const { repo, calls } = countingRepo(null);
    const cached = withKeyCache(repo, 1_000, () => 0);
    expect(await cached.findActive("a")).toBeNull();
    expect(await cached.findActive("a")).toBeNull();
    await cached.findActive("b");
    expect(calls).toEqual(["a", "b"]);
  });

  it("passes through when the TTL is 0", async () => {
    const { repo } = countingRepo(DOC);
    expect(withKeyCache(repo, 0)).toBe(repo);
  });
});
