import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../config';
import { payloadDataConverter } from '../../lib/payload-codec';
import { testServices } from '../support/env';

/**
 * Replays committed histories of real sync runs (recorded from the e2e tests with
 * RECORD_HISTORIES=test/replay/histories) against today's workflow code: a change that would break
 * running syncs fails here and needs patched().
 */
const dir = path.join(__dirname, 'histories');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('replay: committed histories still replay on the current workflow code', () => {
  it('has histories to replay, covering completion, attention and pauses', () => {
    assert.ok(files.length >= 8, `only ${files.length} histories committed`);
    // Revision 1 (before self-healing pauses), revision 2 (`-rev2-`: self-checks, latched signals, the void
    // pause), revision 3 (`-rev3-`: expired-connection checks spread over the interval) and revision 4
    // (`-rev4-`: those checks' waits grow).
    assert.ok(files.some((f) => f.includes('-rev2-')) && files.some((f) => !/-rev\d-/.test(f)));
    // `desktop-`: QuickBooks Desktop companies (test/e2e/desktop-sync.test.ts), incl. the connector_offline pause.
    for (const kind of [
      'completed-ok',
      'needs-attention',
      'paused',
      'paused-auth-expired-rev2',
      'paused-auth-expired-rev3',
      'paused-auth-expired-growing-rev4',
      'desktop-paused-connector-offline',
      'desktop-completed-after-offline',
    ]) {
      assert.ok(
        files.some((f) => f.startsWith(kind)),
        `a ${kind} history is committed`,
      );
    }
  });

  it('holds nothing of the machine they were recorded on (test/support/scrub-history.ts)', () => {
    for (const file of files) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      assert.doesNotMatch(text, /"stackTrace"/, `${file}: stack traces name the recording machine's paths`);
      assert.doesNotMatch(text, /\/(work|root|home|Users|tmp)\//, `${file}: an absolute machine path`);
      assert.doesNotMatch(text, /"\d+@[^"]*"/, `${file}: a worker's <pid>@<host>`);
    }
  });

  for (const file of files) {
    it(`replays ${file}`, async () => {
      const history = historyFromJSON(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
      await Worker.runReplayHistory(
        {
          workflowBundle: { codePath: testServices().workflowBundlePath },
          dataConverter: payloadDataConverter(loadConfig({}).payloadKeys),
          replayName: file,
        },
        history,
      );
    });
  }
});
