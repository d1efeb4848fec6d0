import { z } from 'zod';

/**
 * The one place that reads process.env. Every process parses it at start; a missing or malformed
 * value stops the process with a one-line message naming the variable and the reason.
 */
const port = z.coerce.number().int().min(0).max(65535);
const url = z.string().url();
const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/[^\s/]+\/[^\s/?]+(\?.*)?$/, 'must look like postgres://user@host:port/database');
const base64Key = z
  .string()
  .refine(
    (v) => Buffer.from(v, 'base64').length === 32,
    'must be 32 bytes, base64-encoded (openssl rand -base64 32)',
  );

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, 'must be host:port')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('qbo-sync'),
  TEMPORAL_UI_URL: url.default('http://localhost:8233'),
  TEMPORAL_UI_PORT: port.default(8233),
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('data'),

  DATABASE_URL: postgresUrl.default('postgres://postgres@127.0.0.1:5432/qbo_sync'),

  QBO_API_BASE_URL: url.default('http://127.0.0.1:4010'),
  QBO_AUTHORIZE_URL: url.default('http://127.0.0.1:4010/connect/oauth2'),
  QBO_TOKEN_URL: url.default('http://127.0.0.1:4010/oauth2/v1/tokens/bearer'),
  QBO_REVOKE_URL: url.default('http://127.0.0.1:4010/oauth2/v1/tokens/revoke'),
  QBO_ENVIRONMENT: z.enum(['sandbox', 'production']).default('sandbox'),
  QBO_CLIENT_ID: z.string().min(1).default('qbo-sync-local-client'),
  QBO_CLIENT_SECRET: z.string().min(1).default('qbo-sync-local-secret'),
  QBO_REDIRECT_URI: url.default('http://localhost:3000/v1/connections/callback'),
  QBO_MINOR_VERSION: z.coerce.number().int().min(75).default(75),
  QBO_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  QBO_REQUESTS_PER_MINUTE: z.coerce.number().int().positive().default(490),
  QBO_THROTTLE_BACKOFF_MS: z.coerce.number().int().positive().default(60_000),
  QBO_MAX_IN_FLIGHT: z.coerce.number().int().positive().default(10),

  API_PORT: port.default(3000),
  API_PUBLIC_URL: url.default('http://localhost:3000'),
  SOURCE_API_KEYS: z.string().min(1).default('dev-source-key'),
  ADMIN_API_KEYS: z.string().min(1).default('dev-admin-key'),

  TOKEN_ENCRYPTION_KEYS: z
    .string()
    .min(1)
    .default('k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=')
    .describe('comma-separated keyId:base64key; the first one encrypts'),

  WORKER_METRICS_PORT: port.default(9464),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(200),
  SYNC_PAUSE_CHECK_MS: z.coerce.number().int().min(1_000).default(300_000),
  SYNC_OUTAGE_RETRY_MS: z.coerce.number().int().min(1_000).default(600_000),
  SYNC_VERSIONS_PER_RUN: z.coerce.number().int().min(1).default(50),
  SIMULATOR_PORT: port.default(4010),
});

export type Config = ReturnType<typeof loadConfig>;

/** Parses the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(reasons.join('; '));
  }
  const c = parsed.data;
  return {
    ...c,
    sourceApiKeys: splitList(c.SOURCE_API_KEYS),
    adminApiKeys: splitList(c.ADMIN_API_KEYS),
    tokenKeys: parseKeys(c.TOKEN_ENCRYPTION_KEYS),
  };
}

const secretVariables = [
  'SOURCE_API_KEYS',
  'ADMIN_API_KEYS',
  'TOKEN_ENCRYPTION_KEYS',
  'QBO_CLIENT_SECRET',
] as const;

/** In production the worker and the API refuse the public local defaults of the secrets they use. */
export function checkProductionSecrets(config: Config): void {
  if (config.NODE_ENV !== 'production') return;
  const insecure = secretVariables.filter((name) => config[name] === envSchema.shape[name].parse(undefined));
  if (insecure.length) {
    throw new ConfigError(
      insecure.map((n) => `${n}: the local default must not be used in production`).join('; '),
    );
  }
}

/**
 * Like loadConfig, but prints the reason on one line and exits with code 2: for process entry points.
 * `usesSecrets` also refuses the local default secrets in production.
 */
export function loadConfigOrExit(
  env: NodeJS.ProcessEnv = process.env,
  options: { usesSecrets?: boolean } = {},
): Config {
  try {
    const config = loadConfig(env);
    if (options.usesSecrets) checkProductionSecrets(config);
    return config;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`qbo-sync: invalid configuration: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

export class ConfigError extends Error {}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

function parseKeys(value: string): { id: string; key: Buffer }[] {
  return splitList(value).map((entry, i) => {
    const [id, b64] = entry.split(':');
    const parsed = base64Key.safeParse(b64 ?? '');
    if (!id || !parsed.success) {
      throw new ConfigError(`TOKEN_ENCRYPTION_KEYS: entry ${i + 1} must be keyId:base64(32 bytes)`);
    }
    return { id, key: Buffer.from(b64, 'base64') };
  });
}
