import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { writeResults } from '../../bench/report';

/** bench/RESULTS.md: each part's section is regenerated whole, the others are kept, nothing is cut short. */
describe('bench results file', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qbo-sync-bench-results-'));
  const file = path.join(dir, 'RESULTS.md');
  after(() => rmSync(dir, { recursive: true, force: true }));
  const order = ['calls', 'api', 'chaos'];
  const longHow = `chaos: ${Array.from({ length: 60 }, (_, i) => `kill ${i + 1} at ${i * 7} s`).join(', ')}; end`;

  it('writes a part with its date, figures and method, and replaces only that part when it runs again', async () => {
    await writeResults(
      [
        {
          part: 'chaos',
          title: 'Full chaos suite',
          figures: [{ figure: 'Full chaos suite', value: 'PASS in 288 s', how: longHow }],
        },
        {
          part: 'api',
          title: 'API enqueue throughput',
          figures: [{ figure: 'API enqueue | single', value: '67 docs/s', how: 'twenty clients' }],
          measured: 'Measured 2026-11-21 on a test machine.',
        },
      ],
      order,
      file,
    );
    const first = readFileSync(file, 'utf8');
    assert.ok(first.indexOf('bench-part:api') < first.indexOf('bench-part:chaos'), 'sections in part order');
    assert.ok(first.includes(longHow), 'the method is written whole, however long');
    assert.match(first, /Measured 2026-11-21 on a test machine\./);
    assert.match(first, /API enqueue \\\| single/, 'a | in a cell is escaped');

    await writeResults(
      [
        {
          part: 'api',
          title: 'API enqueue throughput',
          figures: [{ figure: 'Batch', value: '68 docs/s', how: 'six batches' }],
        },
      ],
      order,
      file,
    );
    const second = readFileSync(file, 'utf8');
    assert.ok(second.includes(longHow), 'the part not run is kept as it was');
    assert.ok(
      !second.includes('twenty clients') && !second.includes('2026-11-21'),
      'the rerun part is replaced whole',
    );
    assert.match(second, new RegExp(`Measured ${new Date().toISOString().slice(0, 10)} on \\d+ CPUs`));
    assert.match(second, /- \*\*Batch\*\*: six batches/);
  });
});
