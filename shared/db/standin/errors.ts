/**
 * Errors the stand-in answers with. Codes and code names are MongoDB's own
 * (src/mongo/base/error_codes.yml in the server repository), so the driver classifies them the
 * same way it would against a real server.
 */
import type { Document } from "bson";

export const ErrorCodes = {
  InternalError: 1,
  BadValue: 2,
  ConflictingUpdateOperators: 40,
  FailedToParse: 9,
  DataCorruptionDetected: 12,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  InvalidIdField: 53,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  NotImplemented: 238,
  IndexBuildAborted: 276,
  DuplicateKey: 11000,
} as const;

export type ErrorCodeName = keyof typeof ErrorCodes;

/** A command failure with MongoDB's reply shape: `{ ok: 0, errmsg, code, codeName }`. */
export class CommandError extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly extra: Document;

  constructor(codeName: ErrorCodeName, message: string, extra: Document = {}) {
    super(message);
    this.codeName = codeName;
    this.code = ErrorCodes[codeName];
    this.extra = extra;
  }

  toReply(): Document {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }

  /** The shape of one entry of `writeErrors` in insert/update/delete replies. */
  toWriteError(index: number): Document {
    return { index, code: this.code, errmsg: this.message, ...this.extra };
  }
}

/** Turns anything thrown while executing a command into a CommandError (mingo throws plain Errors). */
export function asCommandError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  const message = err instanceof Error ? err.message : String(err);
  // mingo's updater raises this one itself; the server's code for it is ImmutableField.
  if (/immutable field '_id'/.test(message)) return new CommandError("ImmutableField", message.replace(/\.$/, ""));
  if (/would create a conflict at/.test(message)) return new CommandError("ConflictingUpdateOperators", message);
  return new CommandError("BadValue", message);
}
