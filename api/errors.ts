import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';

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
