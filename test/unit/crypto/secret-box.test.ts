import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSecretKey, newSecretKeyText, open, parseSecretKey, seal } from "../../../shared/crypto/secret-box";

const dir = mkdtempSync(join(tmpdir(), "uc-key-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("secret box", () => {
  const k = parseSecretKey(newSecretKeyText(), "test key");

  it("round-trips, with a fresh IV each time and no plaintext in the sealed form", () => {
    const a = seal(k, "s3cret-webhook-value");
    const b = seal(k, "s3cret-webhook-value");
    expect(open(k, a)).toBe("s3cret-webhook-value");
    expect(a.iv).not.toBe(b.iv);
    expect(JSON.stringify(a)).not.toContain("s3cret");
  });

  it("refuses a tampered value and names a foreign key", () => {
    const sealed = seal(k, "value");
    const flipped = Buffer.from(sealed.data, "base64");
    flipped[0] = flipped[0]! ^ 1;
    expect(() => open(k, { ...sealed, data: flipped.toString("base64") })).toThrow();
    const other = parseSecretKey(newSecretKeyText(), "other");
    expect(() => open(other, sealed)).toThrow(new RegExp(`sealed under key ${k.kid}`));
  });

  it("accepts 64 hex digits or base64 of 32 bytes, and nothing else", () => {
    expect(parseSecretKey("ab".repeat(32), "k").key).toHaveLength(32);
    expect(() => parseSecretKey("too-short", "SECRET_KEY")).toThrow(/SECRET_KEY must be 32 random bytes/);
  });

  it("creates the key file once, mode 0600, and reads the same key afterwards", () => {
    const file = join(dir, "sub", "secret.key");
    const first = loadSecretKey({ file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSecretKey({ file }).kid).toBe(first.kid);
    expect(readFileSync(file, "utf8").trim()).toHaveLength(44);
    // SECRET_KEY wins over the file
    const given = newSecretKeyText();
    expect(loadSecretKey({ secretKey: given, file }).kid).toBe(parseSecretKey(given, "k").kid);
  });
});
