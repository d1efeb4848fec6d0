import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createSimulator } from '../../simulator/server';
import { control } from './sim-client';

const dir = mkdtempSync(join(tmpdir(), 'qbo-sim-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('state file', () => {
  it('keeps companies, records and tokens across a restart', async () => {
    const stateFile = join(dir, 'state.json');
    const first = await createSimulator({ stateFile }).start(0);
    const company = await control(first, 'POST', '/_sim/companies', {});
    await control(first, 'POST', `/_sim/companies/${company.realmId}/records/Customer`, {
      DisplayName: 'Persisted',
    });
    await first.close();
    const second = await createSimulator({ stateFile }).start(0);
    try {
      const res = await fetch(
        `${second.url}/v3/company/${company.realmId}/query?query=${encodeURIComponent('select * from Customer')}`,
        {
          headers: { authorization: `Bearer ${company.tokens.access_token}` },
        },
      );
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as any).QueryResponse.Customer[0].DisplayName, 'Persisted');
    } finally {
      await second.close();
    }
  });
});
