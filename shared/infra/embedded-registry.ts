/**
 * When `npm start` runs on embedded stores, it records their URLs here so that other local
 * processes (the CLI) can reach the same in-memory MongoDB. Removed on a clean shutdown.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export const EMBEDDED_REGISTRY_PATH = join(process.cwd(), ".undercurrent", "embedded.json");

export interface EmbeddedUrls {
  mongoUrl?: string;
  redisUrl?: string;
  apiUrl?: string;
  pid: number;
}

export function writeEmbeddedUrls(urls: EmbeddedUrls, path = EMBEDDED_REGISTRY_PATH): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(urls, null, 2));
}

export function readEmbeddedUrls(path = EMBEDDED_REGISTRY_PATH): EmbeddedUrls | null {
  try {
    const urls = JSON.parse(readFileSync(path, "utf8")) as EmbeddedUrls;
    process.kill(urls.pid, 0); // throws when that process is gone
    return urls;
  } catch {
    return null;
  }
}

export function removeEmbeddedUrls(path = EMBEDDED_REGISTRY_PATH): void {
  rmSync(path, { force: true });
}
