import pino from 'pino';

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
  });
}

export type Logger = ReturnType<typeof createLogger>;
