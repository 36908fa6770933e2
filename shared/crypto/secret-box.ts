/**
 * Secrets at rest (webhook secrets): AES-256-GCM under a 32-byte key, with a fresh 96-bit IV per
 * value and the key's id stored beside it, so a value sealed under another key is reported as
 * such instead of failing as "tampered". The key comes from SECRET_KEY or a key file created on
 * first start (`loadSecretKey`).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface SealedSecret {
  v: 1;
  /** first 16 hex digits of sha256(key): which key sealed it */
  kid: string;
  iv: string;
  tag: string;
  data: string;
}

export interface SecretKey {
  key: Buffer;
  kid: string;
}

export class SecretKeyError extends Error {
  override name = "SecretKeyError";
}

export function secretKeyOf(key: Buffer): SecretKey {
  if (key.length !== 32) throw new SecretKeyError(`a secret key must be 32 bytes, got ${key.length}`);
  return { key, kid: createHash("sha256").update(key).digest("hex").slice(0, 16) };
}

/** A key written as 64 hex digits or as base64 of 32 bytes. */
export function parseSecretKey(text: string, what: string): SecretKey {
  const s = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(s) ? Buffer.from(s, "hex") : Buffer.from(s, "base64");
  if (bytes.length !== 32) {
    throw new SecretKeyError(`${what} must be 32 random bytes as 64 hex digits or base64 (e.g. \`openssl rand -base64 32\`)`);
  }
  return secretKeyOf(bytes);
}

export function newSecretKeyText(): string {
  return randomBytes(32).toString("base64");
}

export function seal(k: SecretKey, plaintext: string): SealedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", k.key, iv);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return { v: 1, kid: k.kid, iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), data: data.toString("base64") };
}

export function open(k: SecretKey, sealed: SealedSecret): string {
  if (sealed.kid !== k.kid) {
    throw new SecretKeyError(`secret sealed under key ${sealed.kid}, but the configured key is ${k.kid}: set SECRET_KEY to the key it was sealed with, or rotate with \`npm run cli -- secrets rotate\``);
  }
  const decipher = createDecipheriv("aes-256-gcm", k.key, Buffer.from(sealed.iv, "base64"));
  decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, "base64")), decipher.final()]).toString("utf8");
}

/**
 * SECRET_KEY when given; otherwise the key in `file`, created (mode 0600) on first use. Two
 * processes starting together agree: the file is created exclusively and the loser reads it.
 */
export function loadSecretKey(opts: { secretKey?: string; file: string }): SecretKey {
  if (opts.secretKey) return parseSecretKey(opts.secretKey, "SECRET_KEY");
  try {
    return parseSecretKey(readFileSync(opts.file, "utf8"), `the key file ${opts.file}`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  mkdirSync(dirname(opts.file), { recursive: true });
  try {
    writeFileSync(opts.file, newSecretKeyText() + "\n", { flag: "wx", mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  chmodSync(opts.file, 0o600);
  return parseSecretKey(readFileSync(opts.file, "utf8"), `the key file ${opts.file}`);
}
