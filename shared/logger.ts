import { pino, type Logger, type LoggerOptions } from "pino";

/**
 * pino options shared by the API and workers. Credentials are redacted wherever they appear in a
 * logged request or response; item text is never logged by our code (log ids and sizes instead).
 * In a terminal the lines are pretty-printed (pino-pretty, in a worker thread); anywhere else they
 * stay one JSON object per line for the log shipper.
 */
export function loggerOptions(level: string, name: string, pretty = Boolean(process.stdout.isTTY)): LoggerOptions {
  return {
    level,
    name,
    ...(pretty ? { transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" } } } : {}),
    redact: {
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        'req.headers["x-undercurrent-token"]',
        'req.headers["x-undercurrent-signature"]',
        'req.headers["x-hub-signature"]',
        'req.headers["x-zendesk-webhook-signature"]',
        'req.headers["x-helpscout-signature"]',
        'req.headers["x-front-signature"]',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
      ],
      censor: "[redacted]",
    },
  };
}

export function makeLogger(level: string, name: string): Logger {
  return pino(loggerOptions(level, name));
}
export type { Logger };
