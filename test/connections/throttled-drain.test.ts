import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDb } from '../../db/client';
import { createSimulator } from '../../simulator/server';
import { drainThrottledCompany } from '../support/throttled-drain';
import { prepareDatabase } from './support';

interface LoggedRequest {
  at: string;
  status: number;
}

void describe('a company that admits fewer requests than the budget thinks', () => {
  let sim: { url: string; close(): Promise<void> };
  let db: ReturnType<typeof createDb>;
  before(async () => {
    sim = await createSimulator().start(0);
    db = createDb(await prepareDatabase());
  });
  after(async () => {
    await sim?.close();
    await db?.close();
  });

  void it(
    'drains every invoice exactly once, probing one request at a time while QuickBooks refuses',
    { timeout: 150_000 },
    async () => {
      const firstHoldMs = 500;
      const result = await drainThrottledCompany({
        simulatorUrl: sim.url,
        sql: db.sql,
        companyPerMinute: 10,
        invoices: 14,
        firstHoldMs,
        maxHoldMs: 2_000,
      });
      const log = (await (await fetch(`${sim.url}/_sim/companies/${result.realmId}/requests`)).json()) as {
        requests: LoggedRequest[];
      };
      const refused = log.requests.filter((r) => r.status === 429).map((r) => Date.parse(r.at));
      // After the requests already in flight when the first 429 came, each refusal is a lone probe.
      const probes = refused.filter((t) => t > refused[0] + 200);
      const gaps = probes.slice(1).map((t, i) => t - probes[i]);
      console.log(
        'throttled drain',
        JSON.stringify({ ms: result.ms, floorMs: result.floorMs, throttled: result.throttled, gaps }),
      );
      assert.deepEqual(result.copies, Array(14).fill(1), 'every invoice created once');
      assert.ok(result.throttled >= 1, 'the company did throttle');
      assert.ok(probes.length >= 2, `QuickBooks was probed while it refused (${probes.length} probes)`);
      assert.ok(
        gaps.every((g) => g >= firstHoldMs - 100),
        `one probe per hold, never a storm: gaps ${gaps.join(', ')} ms`,
      );
      assert.ok(
        gaps.every((g) => g <= 2_000 + 1_500),
        `holds stop growing at the longest: gaps ${gaps.join(', ')} ms`,
      );
    },
  );
});
