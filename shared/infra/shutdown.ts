import type { Logger } from "pino";

/**
 * Runs `close` once on SIGTERM/SIGINT, then exits 0. A second signal, or `close` taking longer
 * than `graceMs`, exits at once (the orchestrator's kill would come next anyway). An uncaught
 * exception or unhandled rejection is logged through pino as fatal, then the same close runs and
 * the process exits 1: state may be inconsistent, so it does not carry on, and the orchestrator
 * restarts it (anything accepted is durable and re-announced by the sweeper).
 */
export function onShutdown(log: Logger, close: () => Promise<void>, graceMs = 25_000): void {
  let closing = false;
  const shutdown = (reason: Record<string, unknown>, exitCode: 0 | 1) => {
    if (closing) {
      log.warn(reason, "second signal or error while shutting down: exiting now");
      process.exit(1);
    }
    closing = true;
    log.info(reason, "shutting down");
    const timer = setTimeout(() => {
      log.error({ graceMs }, "graceful shutdown timed out");
      process.exit(1);
    }, graceMs);
    timer.unref();
    close().then(
      () => process.exit(exitCode),
      (err) => {
        log.error({ err }, "error during shutdown");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", (signal) => shutdown({ signal }, 0));
  process.on("SIGINT", (signal) => shutdown({ signal }, 0));
  process.on("uncaughtException", (err) => {
    log.fatal({ err }, "uncaught exception");
    shutdown({ crash: "uncaughtException" }, 1);
  });
  process.on("unhandledRejection", (reason) => {
    log.fatal({ err: reason }, "unhandled promise rejection");
    shutdown({ crash: "unhandledRejection" }, 1);
  });
}
