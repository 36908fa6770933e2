/**
 * The one error handler. 4xx answers name the field path and reason; 5xx answers are generic and
 * the detail goes to the log (never to the caller).
 */
import fp from "fastify-plugin";
import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { MongoNetworkError, MongoServerSelectionError, MongoNotConnectedError } from "mongodb";
import { AppError } from "../../shared/errors";

export interface ErrorBody {
  error: string;
  message: string;
  issues?: { path: string; message: string }[];
}

const FASTIFY_CODES: Record<string, { status: number; error: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, error: "body_too_large" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, error: "unsupported_media_type" },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, error: "invalid_content_length" },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, error: "empty_body" },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, error: "malformed_json" },
};

export default fp(
  async function errorsPlugin(app: FastifyInstance, opts: { bodyLimitBytes: number }) {
    app.setErrorHandler((err: FastifyError, req, reply) => {
      if (hasZodFastifySchemaValidationErrors(err)) {
        const where = err.validationContext ?? "request";
        const issues = err.validation.map((v) => ({
          path: [where, ...String(v.instancePath ?? "").split("/").filter(Boolean)].join("."),
          message: v.message ?? "is invalid",
        }));
        return reply.code(400).send({
          error: "validation_failed",
          message: issues.map((i) => `${i.path}: ${i.message}`).join("; "),
          issues,
        } satisfies ErrorBody);
      }
      if (err instanceof AppError) {
        if (err.statusCode >= 500) req.log.error({ err }, "request failed");
        const issues = (err.details as { issues?: ErrorBody["issues"] } | undefined)?.issues;
        return reply.code(err.statusCode).send({ error: err.code, message: err.message, ...(issues ? { issues } : {}) });
      }
      // The database being unreachable is a transient condition for the caller, not a bug.
      if (err instanceof MongoNetworkError || err instanceof MongoServerSelectionError || err instanceof MongoNotConnectedError) {
        req.log.error({ err }, "database unavailable");
        return reply.code(503).send({ error: "unavailable", message: "the database is unavailable; retry later" });
      }
      if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
        const length = Number(req.headers["content-length"]);
        const parts = Number.isFinite(length) && length > 0 ? Math.ceil(length / opts.bodyLimitBytes) : 2;
        return reply.code(413).send({
          error: "body_too_large",
          message:
            `the body is larger than the limit of ${opts.bodyLimitBytes} bytes (BODY_LIMIT_BYTES)` +
            (Number.isFinite(length) && length > 0 ? `: it announces ${length} bytes` : "") +
            `; send the items in at least ${parts} requests (a batch is limited by size as well as by its 1,000 items)`,
        });
      }
      if (err.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
        return reply.code(415).send({
          error: "unsupported_media_type",
          message: `content type ${JSON.stringify(req.headers["content-type"] ?? "(none)")} is not accepted here; send Content-Type: application/json`,
        });
      }
      const known = err.code ? FASTIFY_CODES[err.code] : undefined;
      if (known) return reply.code(known.status).send({ error: known.error, message: err.message });
      if (err instanceof SyntaxError || (err.statusCode === 400 && !isResponseSerializationError(err))) {
        return reply.code(400).send({ error: "bad_request", message: err.message });
      }
      if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
        return reply.code(err.statusCode).send({ error: "bad_request", message: err.message });
      }
      req.log.error({ err }, "request failed");
      return reply.code(500).send({ error: "internal", message: "internal error; see the server log" });
    });
    app.setNotFoundHandler((req, reply) =>
      reply.code(404).send({ error: "not_found", message: `no route ${req.method} ${req.url.split("?")[0]}` }),
    );
  },
  { name: "errors" },
);
