import { z } from 'zod';

/**
 * The one place that reads process.env. Every process parses it at start; a missing or malformed
 * value stops the process with a one-line message naming the variable and the reason.
 */
const port = z.coerce.number().int().min(0).max(65535);
const host = z
  .string()
  .regex(/^[0-9A-Za-z.:_-]+$/, 'must be a host name or IP address (127.0.0.1, 0.0.0.0, ::)');
const positiveInt = z.coerce.number().int().positive();
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

// An empty list (`ADMIN_API_KEYS=','`) would leave a role no key can hold, or one the empty string opens.
const keyList = z
  .string()
  .refine((v) => splitList(v).length > 0, 'must name at least one non-empty key (comma-separated)');

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
  QBO_REVOKE_URL: url.default('http://127.0.0.1:4010/v2/oauth2/tokens/revoke'),
  QBO_ENVIRONMENT: z.enum(['sandbox', 'production']).default('sandbox'),
  QBO_CLIENT_ID: z.string().min(1).default('qbo-sync-local-client'),
  QBO_CLIENT_SECRET: z.string().min(1).default('qbo-sync-local-secret'),
  QBO_REDIRECT_URI: url.default('http://localhost:3000/v1/connections/callback'),
  QBO_MINOR_VERSION: z.coerce.number().int().min(75).default(75),
  QBO_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  QBO_REQUESTS_PER_MINUTE: z.coerce.number().int().positive().default(490),
  QBO_THROTTLE_BACKOFF_MS: z.coerce.number().int().positive().default(2_000),
  QBO_THROTTLE_MAX_BACKOFF_MS: z.coerce.number().int().positive().default(8_000),
  QBO_MAX_IN_FLIGHT: z.coerce.number().int().positive().default(10),
  QBO_BATCHES_PER_MINUTE: z.coerce.number().int().positive().default(40),
  QBO_BATCH_WRITES: z
    .enum(['on', 'off'])
    .default('on')
    .describe(
      'gather writes waiting for a company into batch requests when single requests cannot carry them',
    ),
  // QuickBooks publishes 10, 30 and 50 as the most items in one batch request; 30 is the current one.
  QBO_BATCH_SIZE: z.coerce.number().int().min(2).max(50).default(30),

  API_HOST: host.default('127.0.0.1').describe('interface the API listens on; 0.0.0.0 for every one'),
  API_PORT: port.default(3000),
  API_HEADERS_TIMEOUT_MS: positiveInt.default(10_000),
  API_REQUEST_TIMEOUT_MS: positiveInt.default(30_000),
  API_MAX_CONNECTIONS: positiveInt.default(1_000),
  MAX_DOCUMENT_BYTES: positiveInt
    .max(1536 * 1024, 'must stay well under the 2 MB Temporal accepts for one payload')
    .default(512 * 1024),
  MAX_BATCH_BYTES: positiveInt.default(8 * 1024 * 1024),
  BATCH_ENQUEUE_CONCURRENCY: positiveInt
    .max(200, 'at most 200: each one holds a Postgres connection and a Temporal call')
    .default(16)
    .describe('documents of one POST /v1/syncs/batch checked and enqueued at once'),
  API_PUBLIC_URL: url.default('http://localhost:3000'),
  SOURCE_API_KEYS: keyList.default('dev-source-key'),
  ADMIN_API_KEYS: keyList.default('dev-admin-key'),
  ADMIN_SESSION_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters (openssl rand -base64 32)')
    .optional()
    .describe('signs the admin session cookie; unset: a random secret generated once and kept in Postgres'),
  ADMIN_SESSION_IDLE_SECONDS: z.coerce.number().int().positive().default(1800),
  ADMIN_SESSION_MAX_SECONDS: z.coerce.number().int().positive().default(28_800),
  AUTH_FAILURE_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  AUTH_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().positive().default(20),
  AUTH_MAX_FAILURES_PER_KEY: z.coerce.number().int().positive().default(10),
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .describe('true: the client address is the last X-Forwarded-For entry (set only behind your own proxy)'),

  TOKEN_ENCRYPTION_KEYS: z
    .string()
    .min(1)
    .default('k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=')
    .describe('comma-separated keyId:base64key; the first one encrypts'),

  /** The webhook endpoint's verifier token from Intuit's developer portal (signs every notification). */
  QBO_WEBHOOK_VERIFIER_TOKEN: z.string().min(1).default('qbo-sync-local-verifier'),
  /** The change tracker's CDC sweep period per company, the safety net for missed webhooks. */
  CHANGE_SWEEP_SECONDS: z.coerce.number().int().min(1).default(3600),
  /** After a webhook, how long the tracker waits for the rest of a burst before one CDC review. */
  CHANGE_SETTLE_MS: z.coerce.number().int().min(0).default(2000),
  /** QuickBooks calls the change tracker may make per company per day. */
  CHANGE_DAILY_CALL_CAP: z.coerce.number().int().min(1).default(500),

  PAYLOAD_ENCRYPTION_KEYS: z
    .string()
    .min(1)
    .default('p1:cWJvLXN5bmMtbG9jYWwtcGF5bG9hZC1rZXktMDAwMDA=')
    .describe('comma-separated keyId:base64key; the first encrypts workflow payloads, all decrypt'),
  CODEC_ENDPOINT: z.enum(['on', 'off']).default('off'),
  CODEC_CORS_ORIGINS: z.string().min(1).optional(),

  WORKER_METRICS_HOST: host.default('127.0.0.1'),
  WORKER_METRICS_PORT: port.default(9464),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(100),
  WORKER_WORKFLOW_HEAP_MB: z.coerce
    .number()
    .int()
    .min(0)
    .default(128)
    .describe('old-generation heap of the thread that runs workflows, in MB (0: V8 default)'),
  SYNC_PAUSE_CHECK_MS: z.coerce.number().int().min(1_000).default(300_000),
  SYNC_PAUSE_CHECK_MAX_MS: z.coerce.number().int().min(1_000).default(1_800_000),
  SYNC_OUTAGE_RETRY_MS: z.coerce.number().int().min(1_000).default(600_000),
  SYNC_VERSIONS_PER_RUN: z.coerce.number().int().min(1).default(50),
  /** QuickBooks Desktop: how long one qbXML request waits for the Web Connector before its step gives up. */
  DESKTOP_REQUEST_WAIT_MS: z.coerce.number().int().min(100).max(240_000).default(120_000),
  /** A Web Connector silent for longer than this is offline: its company's syncs pause (connector_offline). */
  DESKTOP_OFFLINE_AFTER_MS: z.coerce.number().int().min(1_000).default(180_000),
  DESKTOP_POLL_MS: z.coerce.number().int().min(10).default(250),
  /** After an answer, how long the endpoint waits for the step's next request before telling QBWC it is done. */
  QBWC_FOLLOW_UP_MS: z.coerce.number().int().min(0).max(20_000).default(2_000),
  QBWC_SESSION_IDLE_MS: z.coerce.number().int().min(1_000).default(600_000),
  QBWC_MAX_BODY_BYTES: positiveInt.default(4 * 1024 * 1024),
  /** The .QWC file's Scheduler: the Web Connector polls every this many minutes. */
  QBWC_RUN_EVERY_MINUTES: z.coerce.number().int().min(1).max(1440).default(1),
  /** The .QWC OwnerID: one GUID for this qbo-sync installation. */
  QBWC_OWNER_ID: z
    .string()
    .regex(
      /^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/,
      'must be a {GUID} in upper case',
    )
    .default('{57F3B9B1-86F1-4FCB-B1EE-566DE1813D20}'),
  SIMULATOR_PORT: port.default(4010),
  DEMO_COMPANY: z
    .enum(['on', 'off'])
    .default('on')
    .describe('npm start seeds and connects a demo company in the local simulator (never in production)'),
  DEMO_REALM_ID: z
    .string()
    .regex(/^\d{1,20}$/, 'must be digits')
    .default('9341453050298271'),
  QBO_APP_URL: url
    .default('https://app.sandbox.qbo.intuit.com')
    .describe('the QuickBooks web app, for links from the diagnostics page to a record'),
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
  if (c.MAX_BATCH_BYTES < c.MAX_DOCUMENT_BYTES)
    throw new ConfigError(
      'MAX_BATCH_BYTES: must be at least MAX_DOCUMENT_BYTES (a batch holds whole documents)',
    );
  return {
    ...c,
    sourceApiKeys: splitList(c.SOURCE_API_KEYS),
    adminApiKeys: splitList(c.ADMIN_API_KEYS),
    tokenKeys: parseKeys('TOKEN_ENCRYPTION_KEYS', c.TOKEN_ENCRYPTION_KEYS),
    payloadKeys: parseKeys('PAYLOAD_ENCRYPTION_KEYS', c.PAYLOAD_ENCRYPTION_KEYS),
    codecOrigins: c.CODEC_CORS_ORIGINS
      ? splitList(c.CODEC_CORS_ORIGINS)
      : uiOrigins(c.TEMPORAL_UI_URL, c.TEMPORAL_UI_PORT),
  };
}

const secretVariables = [
  'SOURCE_API_KEYS',
  'ADMIN_API_KEYS',
  'TOKEN_ENCRYPTION_KEYS',
  'PAYLOAD_ENCRYPTION_KEYS',
  'QBO_CLIENT_SECRET',
  'QBO_WEBHOOK_VERIFIER_TOKEN',
] as const;

/** The variable naming the interface a process listens on. */
export type ListenVariable = 'API_HOST' | 'WORKER_METRICS_HOST';

/** True for addresses only this machine can reach. */
export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * The public local defaults of the secrets are refused in production and whenever the process listens
 * beyond loopback (`listensOn` names the variable holding its interface): anyone could use them.
 */
export function checkDefaultSecrets(config: Config, listensOn: ListenVariable = 'API_HOST'): void {
  const exposed = !isLoopback(config[listensOn]);
  if (config.NODE_ENV !== 'production' && !exposed) return;
  const where = config.NODE_ENV === 'production' ? 'in production' : `with ${listensOn}=${config[listensOn]}`;
  const insecure = secretVariables.filter((name) => config[name] === envSchema.shape[name].parse(undefined));
  if (insecure.length) {
    throw new ConfigError(
      insecure.map((n) => `${n}: the public local default must not be used ${where}`).join('; '),
    );
  }
}

/**
 * Like loadConfig, but prints the reason on one line and exits with code 2: for process entry points.
 * `usesSecrets` also refuses the local default secrets in production or when `listensOn` is not loopback.
 */
export function loadConfigOrExit(
  env: NodeJS.ProcessEnv = process.env,
  options: { usesSecrets?: boolean; listensOn?: ListenVariable } = {},
): Config {
  try {
    const config = loadConfig(env);
    if (options.usesSecrets) checkDefaultSecrets(config, options.listensOn);
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

function parseKeys(variable: string, value: string): { id: string; key: Buffer }[] {
  return splitList(value).map((entry, i) => {
    const [id, b64] = entry.split(':');
    const parsed = base64Key.safeParse(b64 ?? '');
    if (!id || !parsed.success) {
      throw new ConfigError(`${variable}: entry ${i + 1} must be keyId:base64(32 bytes)`);
    }
    return { id, key: Buffer.from(b64, 'base64') };
  });
}

/** The browser origins of the Temporal UI: both spellings of a loopback UI, since either may be typed. */
/** The Temporal UI's origins: TEMPORAL_UI_URL's, and on loopback also the UI `npm start` serves on TEMPORAL_UI_PORT. */
function uiOrigins(uiUrl: string, localUiPort: number): string[] {
  const url = new URL(uiUrl);
  if (!isLoopback(url.hostname)) return [url.origin];
  const ports = new Set([url.port ? `:${url.port}` : '', `:${localUiPort}`]);
  return [...ports].flatMap((port) => [
    `${url.protocol}//localhost${port}`,
    `${url.protocol}//127.0.0.1${port}`,
  ]);
}
