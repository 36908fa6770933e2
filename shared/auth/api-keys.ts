/**
 * API keys: `uc_` + 32 random bytes (base64url). Only a SHA-256 of the key is stored; with 256 bits
 * of entropy a slow hash adds nothing, and looking the hash up by equality leaks nothing useful.
 */
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";

/**
 * ingest: write items; read: trends, searches, terms; searches: create, edit and delete saved
 * searches (each one costs matching work on every item and a backfill); admin: everything.
 */
export const API_KEY_SCOPES = ["ingest", "read", "searches", "admin"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
export const scopeSchema = z.enum(API_KEY_SCOPES);

export const workspaceIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "must be 1-63 lower-case letters, digits, - or _");

const KEY_PATTERN = /^uc_[A-Za-z0-9_-]{43}$/;

export function generateApiKey(): { key: string; hash: string; prefix: string } {
  const key = `uc_${randomBytes(32).toString("base64url")}`;
  return { key, hash: hashApiKey(key), prefix: key.slice(0, 10) };
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** Whether a key with this expiry (none: never) has expired at `now`. */
export function hasExpired(key: { expiresAt?: Date | null }, now: Date): boolean {
  return key.expiresAt != null && key.expiresAt.getTime() <= now.getTime();
}

export function looksLikeApiKey(s: string): boolean {
  return KEY_PATTERN.test(s);
}
