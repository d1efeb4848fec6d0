import { isGrpcServiceError, ServiceError } from '@temporalio/client';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { errorForLog } from '../lib/logger';

export interface FieldError {
  path: string;
  reason: string;
}

export interface ApiErrorBody {
  error: { code: string; message: string; fields?: FieldError[] };
}

/** An error the caller can act on; `app.onError` renders it as `{ error: { code, message, fields? } }`. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly fields?: FieldError[],
  ) {
    super(status, { message });
  }

  body(): ApiErrorBody {
    return {
      error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) },
    };
  }
}

/** Turns zod issues into field errors with dotted paths (`lines.0.amount`). */
export function fieldErrors(error: ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    reason: issue.message,
  }));
}

export function validationError(
  fields: FieldError[],
  message = 'The request is invalid; see fields.',
): ApiError {
  return new ApiError(422, 'validation_failed', message, fields);
}

/** gRPC codes a Temporal call fails with when the server cannot be reached in time. */
const TEMPORAL_UNREACHABLE = new Set([4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */]);
/** postgres.js and Node codes of a database that cannot be reached (not of a query that failed). */
const DATABASE_UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P03', // cannot_connect_now: the server is starting or shutting down
]);

/**
 * A 503 for an error that means a service qbo-sync depends on is out of reach (Temporal, Postgres), so
 * the caller learns to try again instead of seeing an internal error; null for anything else.
 */
export function unreachableDependency(err: unknown): ApiError | null {
  const grpc = err instanceof ServiceError ? err.cause : err;
  if (isGrpcServiceError(grpc) && TEMPORAL_UNREACHABLE.has(grpc.code))
    return new ApiError(
      503,
      'temporal_unavailable',
      'Temporal, which runs the syncs, is not reachable right now; nothing was changed. Try again shortly.',
    );
  const code =
    (err as { code?: unknown } | null)?.code ?? (err as { cause?: { code?: unknown } })?.cause?.code;
  if (typeof code === 'string' && DATABASE_UNREACHABLE.has(code))
    return new ApiError(
      503,
      'database_unavailable',
      'The database is not reachable right now; nothing was changed. Try again shortly.',
    );
  return null;
}

/**
 * `unreachableDependency` for an error handler: when it is one, logs it as a warning and tells the caller
 * when to try again (Retry-After), then returns the 503 to render; null for any other error.
 */
export function answerUnreachable(
  err: unknown,
  c: Context,
  logger: { warn(fields: object, message: string): void },
): ApiError | null {
  const unreachable = unreachableDependency(err);
  if (!unreachable) return null;
  logger.warn({ err: errorForLog(err), path: c.req.path }, 'a dependency is unreachable');
  c.header('Retry-After', '5');
  return unreachable;
}
