import { pino, type Logger, type LoggerOptions } from "pino";

/**
 * pino options shared by the API and workers. Credentials are redacted wherever they appear in a
 * logged request; item text is never logged by our code (log ids and sizes instead).
 */
export function loggerOptions(level: string, name: string): LoggerOptions {
  return {
    level,
    name,
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
      ],
      censor: "[redacted]",
    },
  };
}

export function makeLogger(level: string, name: string): Logger {
  return pino(loggerOptions(level, name));
}
export type { Logger };
