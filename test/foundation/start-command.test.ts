import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { dropDatabase } from '../../db/migrate';
import { testServices } from '../support/env';

/**
 * `npm start`, run as a new user runs it, with every port moved off its default so it cannot collide
 * with anything else on the machine. scripts/start.ts keeps its state in <checkout>/data, so it runs
 * from a throwaway checkout: a copy of scripts/ (start.ts finds the checkout from its own location)
 * beside links to everything else. data/ is created there, as on a fresh clone.
 */
const root = path.join(__dirname, '..', '..');

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A free port below the kernel's ephemeral range: a port from listen(0) is soon handed out again to the
 * next listen(0), and the Temporal dev server takes several such ports for itself while it starts.
 */
async function quietPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await portIsFree(port)) return port;
  }
}

/** A checkout of the repository that shares node_modules and sources with this one but has its own data/. */
function throwawayCheckout(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qbo-sync-start-'));
  for (const name of readdirSync(root)) {
    if (['data', '.build', '.git', 'scripts'].includes(name)) continue;
    symlinkSync(path.join(root, name), path.join(dir, name));
  }
  cpSync(path.join(root, 'scripts'), path.join(dir, 'scripts'), { recursive: true });
  return dir;
}

/** Every process below `pid`, found through ps. */
function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    // ps exits 1 when there are none
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** Alive and not a zombie waiting to be reaped. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return check();
}

async function getJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

/** What stops the start command: a signal to one process of its tree, or to its whole process group. */
type Stop = (tree: { groupLeader: number; startScript: number }) => void;

describe('npm start: the whole system on one machine, stopped by a signal', () => {
  const started: { start?: ChildProcess; tree: number[]; checkout?: string; databaseUrl?: string }[] = [];

  after(async () => {
    // Whatever happened, nothing this test started outlives it.
    for (const run of started) {
      if (run.start?.pid && run.start.exitCode === null) {
        try {
          process.kill(-run.start.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      for (const pid of run.tree) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
      if (run.databaseUrl) await dropDatabase(run.databaseUrl);
      if (run.checkout) rmSync(run.checkout, { recursive: true, force: true });
    }
  });

  async function startThenStop(stop: Stop) {
    const run: (typeof started)[number] = { tree: [] };
    started.push(run);
    const server = new URL(testServices().databaseUrl);
    server.pathname = `/qbo_sync_start_test_${randomBytes(4).toString('hex')}`;
    const databaseUrl = server.toString();
    run.databaseUrl = databaseUrl;
    const [temporalPort, apiPort, simPort, metricsPort, uiPort] = [
      await quietPort(),
      await quietPort(),
      await quietPort(),
      await quietPort(),
      await quietPort(),
    ];
    const ports = [temporalPort, apiPort, simPort, metricsPort, uiPort];
    const simUrl = `http://127.0.0.1:${simPort}`;
    const checkout = throwawayCheckout();
    run.checkout = checkout;

    // A new user's shell: none of the test runner's settings, only ports moved off the defaults.
    const { NODE_ENV: _n, WORKFLOW_BUNDLE_PATH: _w, QBO_SIM_URL: _s, ...shell } = process.env;
    const start = spawn('npm', ['start'], {
      cwd: checkout,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...shell,
        TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
        TEMPORAL_UI_PORT: String(uiPort),
        DATABASE_URL: databaseUrl,
        API_PORT: String(apiPort),
        API_PUBLIC_URL: `http://localhost:${apiPort}`,
        WORKER_METRICS_PORT: String(metricsPort),
        SIMULATOR_PORT: String(simPort),
        QBO_API_BASE_URL: simUrl,
        QBO_AUTHORIZE_URL: `${simUrl}/connect/oauth2`,
        QBO_TOKEN_URL: `${simUrl}/oauth2/v1/tokens/bearer`,
        QBO_REVOKE_URL: `${simUrl}/oauth2/v1/tokens/revoke`,
        QBO_REDIRECT_URI: `http://localhost:${apiPort}/v1/connections/callback`,
      },
    });
    run.start = start;
    const pid = start.pid as number;
    let output = '';
    const record = (chunk: Buffer) => (output = (output + chunk).slice(-20_000));
    start.stdout?.on('data', record);
    start.stderr?.on('data', record);
    const exited = new Promise<void>((resolve) => start.once('exit', () => resolve()));

    const ready = await until(
      () => output.includes('qbo-sync is running') || start.exitCode !== null,
      240_000,
    );
    assert.ok(
      ready && output.includes('qbo-sync is running'),
      `npm start did not report running:\n${output}`,
    );

    // Health reports all three dependencies reachable.
    let health = await getJson(`http://127.0.0.1:${apiPort}/healthz`);
    await until(
      async () => (health = await getJson(`http://127.0.0.1:${apiPort}/healthz`)).status === 200,
      30_000,
    );
    assert.equal(health.status, 200, JSON.stringify(health.body));
    for (const dependency of ['temporal', 'postgres', 'quickbooks']) {
      assert.equal(health.body[dependency]?.ok, true, `${dependency}: ${JSON.stringify(health.body)}`);
    }

    // The Temporal UI it announces answers, and the worker serves its metrics.
    assert.match(output, new RegExp(`Temporal UI\\s+http://localhost:${uiPort}`));
    const ui = await fetch(`http://127.0.0.1:${uiPort}/`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(ui.status, 200, 'Temporal UI');
    const metrics = () =>
      fetch(`http://127.0.0.1:${metricsPort}/metrics`).then(
        (r) => r.status === 200,
        () => false,
      );
    assert.ok(await until(metrics, 30_000), 'worker metrics');
    assert.ok(
      existsSync(path.join(checkout, 'data', 'temporal.db')),
      'Temporal keeps its state in data/temporal.db',
    );

    // A demo company, seeded in the simulator and connected, for the README's "Try it".
    assert.match(output, /Demo company\s+.+realm \d+, connected \(created\)/);
    const demoRealm = /realm (\d+), connected/.exec(output)?.[1];
    const connections = await fetch(`http://127.0.0.1:${apiPort}/v1/connections`, {
      headers: { authorization: 'Bearer dev-admin-key' },
    }).then((r) => r.json());
    assert.ok(
      connections.connections.some((c: any) => c.realmId === demoRealm && c.status === 'active'),
      JSON.stringify(connections),
    );
    const customers = await getJson(`${simUrl}/_sim/companies/${demoRealm}/records/Customer`);
    assert.ok(customers.body.records.length >= 5, 'the demo company has customers');

    // Everything it started, read from /proc before the stop.
    run.tree = [pid, ...descendants(pid)];
    const commands = run.tree.map(commandLine).join('\n');
    for (const part of ['temporal', 'simulator/main.ts', 'worker/main.ts', 'api/server.ts']) {
      assert.ok(commands.includes(part), `${part} among:\n${commands}`);
    }
    // The UI decodes the encrypted payloads through the API's codec endpoint, which is on.
    assert.match(commands, new RegExp(`--ui-codec-endpoint http://localhost:${apiPort}/codec`), commands);
    const codec = await fetch(`http://127.0.0.1:${apiPort}/codec/decode`, {
      method: 'POST',
      headers: { origin: `http://localhost:${uiPort}`, 'content-type': 'application/json' },
      body: JSON.stringify({ payloads: [] }),
    });
    assert.equal(codec.status, 200, 'the codec endpoint answers the local UI');
    const startScript = run.tree.find((p) => /--import \S*tsx\S* scripts\/start\.ts/.test(commandLine(p)));
    assert.ok(startScript, `the node process running scripts/start.ts among:\n${commands}`);

    stop({ groupLeader: pid, startScript });
    const stopped = await until(() => run.tree.every((p) => !isRunning(p)), 20_000);
    const left = run.tree.filter(isRunning).map((p) => `${p} ${commandLine(p)}`);
    assert.ok(stopped, `still running 20 s after the stop:\n${left.join('\n')}\noutput:\n${output}`);
    await exited;
    for (const port of ports) assert.ok(await portIsFree(port), `port ${port} is released`);
  }

  it(
    'serves health, the Temporal UI, metrics and a connected demo company; SIGINT to start.ts alone stops every process it started',
    { timeout: 300_000 },
    () => startThenStop(({ startScript }) => process.kill(startScript, 'SIGINT')),
  );

  it(
    'Ctrl-C in a terminal (SIGINT to the whole process group) leaves nothing running',
    { timeout: 300_000 },
    () => startThenStop(({ groupLeader }) => process.kill(-groupLeader, 'SIGINT')),
  );

  it(
    'SIGTERM to the npm process alone (npm does not pass it on) leaves nothing running and frees every port',
    { timeout: 300_000 },
    () => startThenStop(({ groupLeader }) => process.kill(groupLeader, 'SIGTERM')),
  );

  it(
    'the terminal closing (SIGHUP to the whole process group) leaves nothing running',
    { timeout: 300_000 },
    () => startThenStop(({ groupLeader }) => process.kill(-groupLeader, 'SIGHUP')),
  );
});
