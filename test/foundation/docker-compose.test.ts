import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { checkDefaultSecrets, ConfigError, loadConfig } from '../../config';

/**
 * docker-compose.yml and the Dockerfile, checked without a Docker engine: parsed as YAML and compared
 * with what the code actually reads and runs.
 */
const root = path.join(__dirname, '..', '..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true });
const services: Record<string, any> = compose.services;
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const packageScripts: Record<string, string> = JSON.parse(
  readFileSync(path.join(root, 'package.json'), 'utf8'),
).scripts;

/** Services running qbo-sync's own code (built from the repo's Dockerfile), by name. */
const appServices = Object.keys(services).filter((name) => services[name].build);

/** The variables config.ts's schema knows: the upper-case keys of a config parsed from defaults. */
const defaults = loadConfig({});
const configVariables = new Set(Object.keys(defaults).filter((k) => /^[A-Z][A-Z0-9_]*$/.test(k)));

/**
 * The secrets a production worker or API refuses to start on at their local defaults: the variables
 * checkDefaultSecrets names for a production configuration built from an empty environment.
 */
function productionSecrets(): string[] {
  try {
    checkDefaultSecrets(loadConfig({ NODE_ENV: 'production' }));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return [...err.message.matchAll(/\b([A-Z][A-Z0-9_]+):/g)].map((m) => m[1]);
  }
  return [];
}
const secretVariables = productionSecrets();

function environmentOf(service: any): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env))
    return Object.fromEntries(env.map((e: string) => [e.split('=')[0], e.split('=').slice(1).join('=')]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
}

/** Compose's interpolation, with stand-ins for the secrets an operator provides. */
function interpolate(value: string, secrets: Record<string, string>): string {
  return value.replace(
    /\$\{([A-Z0-9_]+)(?::?([-?])([^}]*))?\}/g,
    (_m, name: string, op?: string, arg?: string) => {
      if (op === '-') return arg ?? '';
      const secret = secrets[name];
      assert.ok(secret !== undefined, `no stand-in for \${${name}} in this test`);
      return secret;
    },
  );
}

/** `[IP:]HOST:CONTAINER` port mappings as numbers. */
function ports(service: any): { host: number; container: number }[] {
  return (service.ports ?? []).map((p: string) => {
    const parts = String(p).split(':');
    return { host: Number(parts[parts.length - 2]), container: Number(parts[parts.length - 1]) };
  });
}

/** Arguments of a command that name a file in the repo (TypeScript entries and shell scripts). */
function fileArguments(command: string[]): string[] {
  return command.filter((arg) => /\.(ts|js|sh)$/.test(arg) && !arg.startsWith('/'));
}

const dockerfileCmds = [...dockerfile.matchAll(/^(?:CMD|ENTRYPOINT)\s+(\[.*\])\s*$/gm)].map(
  (m) => JSON.parse(m[1]) as string[],
);

describe('docker-compose.yml: the production-shaped deployment matches the code', () => {
  it('has every part of the deployment', () => {
    for (const name of [
      'postgres',
      'temporal',
      'temporal-ui',
      'temporal-setup',
      'migrate',
      'worker',
      'api',
      'simulator',
    ]) {
      assert.ok(services[name], `service ${name}`);
    }
    assert.deepEqual(services.simulator.profiles, ['simulator'], 'the simulator only runs on request');
    assert.equal(services.temporal.environment.DB, 'postgres12', 'Temporal persists in Postgres');
    assert.ok(
      services[services.temporal.environment.POSTGRES_SEEDS],
      'POSTGRES_SEEDS names the postgres service',
    );
    assert.ok(
      services.postgres.healthcheck && services.postgres.volumes?.length,
      'postgres has a healthcheck and a volume',
    );
  });

  it('gives every service an image or a build whose Dockerfile exists', () => {
    for (const [name, service] of Object.entries(services)) {
      assert.ok(service.image || service.build, `${name} has an image or a build`);
      if (!service.build) continue;
      const build = typeof service.build === 'string' ? { context: service.build } : service.build;
      const file = path.join(root, build.context ?? '.', build.dockerfile ?? 'Dockerfile');
      assert.ok(existsSync(file), `${name}: ${file} exists`);
    }
  });

  it('names only depends_on services that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      const deps = Array.isArray(service.depends_on)
        ? service.depends_on
        : Object.keys(service.depends_on ?? {});
      for (const dep of deps) assert.ok(services[dep], `${name} depends on ${dep}, which is a service`);
    }
  });

  it("passes qbo-sync's processes only variables config.ts reads, and every one it requires", () => {
    assert.ok(
      appServices.includes('worker') && appServices.includes('api') && appServices.includes('migrate'),
    );
    for (const name of appServices.filter((n) => n !== 'simulator')) {
      for (const variable of Object.keys(environmentOf(services[name]))) {
        // Read by the C library when the process starts, not by qbo-sync (scripts/lib/worker-process.ts).
        if (variable === 'MALLOC_ARENA_MAX') continue;
        assert.ok(configVariables.has(variable), `${name}: ${variable} is not a variable config.ts reads`);
      }
    }
    assert.ok(secretVariables.length > 0, 'config.ts refuses some local default secrets in production');
    for (const name of ['worker', 'api']) {
      for (const variable of secretVariables) {
        assert.ok(
          variable in environmentOf(services[name]),
          `${name} provides ${variable}, whose local default config.ts refuses in production`,
        );
      }
    }
  });

  it("takes secrets from the host, never from the repo or config.ts's local defaults", () => {
    const secrets = ['QBO_CLIENT_ID', ...secretVariables];
    for (const name of ['worker', 'api']) {
      const env = environmentOf(services[name]);
      for (const secret of secrets)
        assert.match(
          env[secret],
          new RegExp(`^\\$\\{${secret}:\\?`),
          `${name}: ${secret} must be required from the host`,
        );
      assert.match(
        env.DATABASE_URL,
        /\$\{POSTGRES_PASSWORD:\?/,
        `${name}: the database password comes from the host`,
      );
    }
  });

  it('gives worker and api a configuration config.ts accepts once the secrets are set', () => {
    const standIns = {
      POSTGRES_PASSWORD: 'a1b2c3',
      QBO_CLIENT_ID: 'ABcd1234',
      QBO_CLIENT_SECRET: 'secret',
      QBO_WEBHOOK_VERIFIER_TOKEN: 'verifier-from-intuit',
      SOURCE_API_KEYS: 'source-key',
      ADMIN_API_KEYS: 'admin-key',
      TOKEN_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
      PAYLOAD_ENCRYPTION_KEYS: `p1:${Buffer.alloc(32, 6).toString('base64')}`,
    };
    for (const name of ['worker', 'api', 'migrate', 'temporal-setup']) {
      const env = Object.fromEntries(
        Object.entries(environmentOf(services[name])).map(([k, v]) => [k, interpolate(v, standIns)]),
      );
      const config = loadConfig({ NODE_ENV: 'production', ...env });
      if (name === 'worker' || name === 'api') {
        assert.doesNotThrow(() => checkDefaultSecrets(config), `${name} starts with the host's secrets`);
        assert.equal(config.TEMPORAL_ADDRESS, 'temporal:7233');
        assert.match(config.DATABASE_URL, /@postgres:5432\//);
        // Inside a container only every interface is reachable; the real secrets make that safe.
        assert.equal(config.API_HOST, '0.0.0.0', `${name} listens beyond the container's loopback`);
        assert.equal(config.WORKER_METRICS_HOST, '0.0.0.0');
        assert.doesNotThrow(() => checkDefaultSecrets(config, 'API_HOST'));
        assert.doesNotThrow(() => checkDefaultSecrets(config, 'WORKER_METRICS_HOST'));
      }
    }
  });

  it('publishes the ports config.ts defaults to, and the Temporal UI on 8233', () => {
    const api = ports(services.api);
    assert.deepEqual(
      api,
      [{ host: defaults.API_PORT, container: defaults.API_PORT }],
      `api publishes ${defaults.API_PORT}`,
    );
    assert.equal(
      environmentOf(services.api).API_PORT,
      String(defaults.API_PORT),
      'the api listens on the port it publishes',
    );
    const worker = ports(services.worker);
    assert.deepEqual(
      worker,
      [{ host: defaults.WORKER_METRICS_PORT, container: defaults.WORKER_METRICS_PORT }],
      'worker publishes its metrics port',
    );
    assert.equal(environmentOf(services.worker).WORKER_METRICS_PORT, String(defaults.WORKER_METRICS_PORT));
    const ui = ports(services['temporal-ui']);
    assert.deepEqual(ui, [{ host: 8233, container: 8080 }], 'the Temporal UI on 8233');
    assert.equal(
      new URL(defaults.TEMPORAL_UI_URL).port,
      '8233',
      'TEMPORAL_UI_URL (links in API answers) points at it',
    );
    assert.ok(
      ports(services.temporal).some((p) => p.container === 7233),
      'Temporal frontend on 7233',
    );
  });

  it('publishes the Temporal frontend and UI on the host loopback only, the UI decoding through the API', () => {
    for (const name of ['temporal', 'temporal-ui']) {
      const published = (services[name].ports ?? []).map(String);
      assert.ok(published.length > 0, `${name} publishes a port`);
      for (const p of published)
        assert.match(p, /^127\.0\.0\.1:\d+:\d+$/, `${name} publishes ${p} on loopback`);
    }
    const codec = environmentOf(services['temporal-ui']).TEMPORAL_CODEC_ENDPOINT;
    assert.match(codec, /localhost:3000\/codec\}?$/, 'the UI decodes payloads through the API');
    assert.match(environmentOf(services.api).CODEC_ENDPOINT, /on/);
  });

  it('runs commands that exist: files in the repo and npm scripts in package.json', () => {
    const commands: [string, string[]][] = dockerfileCmds.map((c) => ['Dockerfile CMD', c]);
    for (const [name, service] of Object.entries(services))
      if (Array.isArray(service.command)) commands.push([name, service.command]);
    assert.ok(dockerfileCmds.length > 0, 'the Dockerfile has a CMD in exec form');
    for (const [owner, command] of commands) {
      for (const file of fileArguments(command))
        assert.ok(existsSync(path.join(root, file)), `${owner}: ${file} exists`);
      if (command[0] === 'npm' && command[1] === 'run')
        assert.ok(packageScripts[command[2]], `${owner}: npm script ${command[2]} exists`);
    }
  });
});

describe('Dockerfile: the image qbo-sync runs in', () => {
  it('builds the workflow bundle at image build time and points the worker at it', () => {
    const build = dockerfile.match(/^RUN node --import tsx (scripts\/build-workflow-bundle\.ts) (\S+)$/m);
    assert.ok(build, 'a RUN step builds the workflow bundle');
    assert.ok(existsSync(path.join(root, build[1])));
    assert.match(
      dockerfile,
      new RegExp(`WORKFLOW_BUNDLE_PATH=${build[2].replace(/[.]/g, '\\.')}\\b`),
      'WORKFLOW_BUNDLE_PATH names the built bundle',
    );
  });

  it('starts from node:20-slim, installs from the lock file and runs as a non-root user', () => {
    assert.match(dockerfile, /^FROM node:20-slim\b/m);
    assert.match(dockerfile, /^RUN npm ci\b/m, "installs exactly the lock file's versions");
    const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    assert.ok(
      users.length > 0 && !['root', '0'].includes(users[users.length - 1]),
      'the last USER is not root',
    );
  });

  it('keeps local state and secrets out of the build context', () => {
    const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', '.build', 'data', '.env'])
      assert.ok(ignored.includes(entry), `.dockerignore lists ${entry}`);
  });
});
