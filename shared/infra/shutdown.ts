import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";

/**
 * Runs `close` once on SIGTERM/SIGINT, then exits. A second signal, or `close` taking longer than
 * `graceMs`, exits at once (the orchestrator's kill would come next anyway).
 */
export function onShutdown(log: Logger, close: () => Promise<void>, graceMs = 25_000): void {
  let closing = false;
  const handler = (signal: NodeJS.Signals) => {
    if (closing) {
      log.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    closing = true;
    log.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      log.error({ graceMs }, "graceful shutdown timed out");
      process.exit(1);
    }, graceMs);
    timer.unref();
    close().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, "error during shutdown");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
}

/** True when this module is the entry point (`tsx file.ts`), false when imported. */
export function isEntryPoint(importMetaUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(fileURLToPath(importMetaUrl)) === realpathSync(resolve(entry));
  } catch {
    return false;
  }
}
