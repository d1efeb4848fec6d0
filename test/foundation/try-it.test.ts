import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../config';
import { ensureDemoCompany } from '../../scripts/lib/demo-company';
import { startSystem, type System } from '../support/system';

/**
 * The README's "Try it" section, run as written: its fenced `sh` blocks, in order, in one bash, against
 * a worker and API of the test's own with the demo company `npm start` seeds. Only the documented
 * variables the blocks read (API_PORT, SIMULATOR_PORT, SOURCE_API_KEYS, ADMIN_API_KEYS) are set.
 */
const root = path.join(__dirname, '..', '..');

export function tryItBlocks(readme: string): string[] {
  const start = readme.indexOf('\n## Try it\n');
  assert.ok(start >= 0, 'README.md has a "## Try it" section');
  const rest = readme.slice(start + 1);
  const next = rest.indexOf('\n## ', 3);
  const section = next < 0 ? rest : rest.slice(0, next);
  return [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

/** Each block's output, split on the markers the runner prints between blocks. */
function runBlocks(blocks: string[], env: NodeJS.ProcessEnv): Promise<{ outputs: string[]; stderr: string }> {
  const script = ['set -e', ...blocks.flatMap((b, i) => [`printf '\\n@@block ${i}\\n'`, b])].join('\n');
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', script], { cwd: root, env, timeout: 180_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`bash failed (${err.message}):\n${stdout}\n${stderr}`));
      const outputs = stdout.split(/\n@@block \d+\n/).slice(1);
      resolve({ outputs, stderr });
    });
  });
}

/** The JSON answers a block printed, back to back (curl adds no newline). */
function answers(output: string): any[] {
  const found: any[] = [];
  let depth = 0;
  let inString = false;
  let begin = -1;
  for (let i = 0; i < output.length; i++) {
    const ch = output[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' && depth++ === 0) begin = i;
    else if (ch === '}' && --depth === 0) found.push(JSON.parse(output.slice(begin, i + 1)));
  }
  return found;
}

describe('README "Try it": every command runs as written and does what the text says', () => {
  let system: System;
  const realmId = loadConfig({}).DEMO_REALM_ID;

  before(async () => {
    system = await startSystem();
    await ensureDemoCompany({
      simUrl: system.simUrl,
      apiUrl: system.apiUrl,
      adminKey: system.adminKey,
      realmId,
    });
  });
  after(() => system?.stop());

  it('connects, syncs a first invoice, pauses on closed books and completes after the period is reopened', async () => {
    const blocks = tryItBlocks(readFileSync(path.join(root, 'README.md'), 'utf8'));
    assert.equal(blocks.length, 5, 'one check below per block of the section');
    for (const block of blocks) {
      assert.ok(!/\b(127\.0\.0\.1|localhost):\d/.test(block), `ports only through variables:\n${block}`);
      for (const [, file] of block.matchAll(/@(examples\/\S+)/g)) {
        assert.equal(JSON.parse(readFileSync(path.join(root, file), 'utf8')).realmId, realmId, file);
      }
    }

    const { outputs } = await runBlocks(blocks, {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      API_PORT: new URL(system.apiUrl).port,
      SIMULATOR_PORT: new URL(system.simUrl).port,
      SOURCE_API_KEYS: system.sourceKey,
      ADMIN_API_KEYS: system.adminKey,
    });
    assert.equal(outputs.length, blocks.length);
    const [connect, send, completed, paused, reopened] = outputs.map(answers);

    const demo = connect[0].connections.find((c: any) => c.realmId === realmId);
    assert.equal(demo?.status, 'active', JSON.stringify(connect));
    assert.equal(demo.companyName, 'Sandbox Company (qbo-sync demo)');

    assert.equal(send[0].outcome, 'started', JSON.stringify(send));
    assert.ok(send[0].temporalUiUrl.endsWith(`/workflows/${encodeURIComponent(send[0].syncId)}`));

    const first = completed.at(-1);
    assert.equal(first.state, 'completed', JSON.stringify(first));
    for (const step of ['customer', 'items', 'invoice', 'payments']) {
      assert.ok(
        first.steps[step].records.every((r: any) => /^\d+$/.test(r.qboId)),
        step,
      );
    }

    assert.equal(paused[0].outcome, 'started', JSON.stringify(paused[0]));
    const waiting = paused.at(-1);
    assert.equal(waiting.state, 'paused', JSON.stringify(waiting));
    assert.equal(waiting.pauseReason, 'closed_period');
    assert.equal(waiting.lastError?.code, '6210');

    // The signal reaches the paused sync, unless its own self-check saw the reopening first (then it finished).
    assert.equal(reopened[0].realmId, realmId);
    assert.equal(reopened[0].signalled + reopened[0].finished, 1, JSON.stringify(reopened[0]));
    assert.equal(reopened[0].failed, 0);
    assert.equal(reopened.at(-1).state, 'completed', JSON.stringify(reopened.at(-1)));
  });
});
