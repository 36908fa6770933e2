/**
 * The small set of typed errors the API and workers raise. The single error handler maps them to
 * HTTP answers; workers use `retryable` to choose between retrying and UnrecoverableError.
 */
export interface FieldIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    readonly retryable = false,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, readonly issues: FieldIssue[] = []) {
    super("validation_failed", 400, message, false, { issues });
  }
}
export class UnauthorizedError extends AppError {
  constructor(message = "missing or invalid credentials") {
    super("unauthorized", 401, message);
  }
}
export class ForbiddenError extends AppError {
  constructor(message: string) {
    super("forbidden", 403, message);
  }
}
export class NotFoundError extends AppError {
  constructor(message: string) {
    super("not_found", 404, message);
  }
}
export class ConflictError extends AppError {
  constructor(message: string) {
    super("conflict", 409, message);
  }
}
/** Over a rate limit; the answer carries `Retry-After` (seconds). */
export class RateLimitedError extends AppError {
  constructor(message: string, readonly retryAfterSec: number) {
    super("rate_limited", 429, message, true);
  }
}
export class UnavailableError extends AppError {
  constructor(message: string) {
    super("unavailable", 503, message, true);
  }
}

/** MongoDB duplicate key, classified by code as the house style asks (never by message text). */
export const DUPLICATE_KEY = 11000;
export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === DUPLICATE_KEY;
}
