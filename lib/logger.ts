import pino from 'pino';
import { describeDatabaseError, summarizeDatabaseError } from '../db/database-error';

/**
 * Structured JSON logs. Anything that looks like a credential is redacted by key, as a second line
 * of defence: code must never log tokens in the first place.
 */
export function createLogger(name: string, level: string) {
  return pino({
    name,
    level,
    redact: {
      paths: [
        '*.access_token',
        '*.refresh_token',
        '*.accessToken',
        '*.refreshToken',
        '*.authorization',
        '*.Authorization',
        '*.headers.authorization',
        '*.headers.Authorization',
        '*.clientSecret',
        '*.client_secret',
        'config.headers',
      ],
      censor: '[redacted]',
    },
    serializers: { err: errorForLog },
  });
}

/**
 * What a log line may carry about an error: its name and message, or for a database error only its
 * SQLSTATE and the names involved (drizzle's message is the SQL with every parameter value).
 */
export function errorForLog(err: unknown): Record<string, unknown> {
  const database = summarizeDatabaseError(err);
  if (database) return { name: 'DatabaseError', message: describeDatabaseError(database), ...database };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { message: String(err) };
}

export type Logger = ReturnType<typeof createLogger>;
