import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSendPacer } from '../../connections/send-pacer';

describe('the send pacer: a process never sends a company more than its limit in any window', () => {
  it('lets 25 requests that arrive together leave at most 10 per 300 ms, per company', async () => {
    const pacer = createSendPacer(10, 300);
    const left: Record<string, number[]> = { a: [], b: [] };
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const realm = i % 2 ? 'a' : 'b';
        await pacer.pace(realm);
        left[realm].push(Date.now());
      }),
    );
    for (const times of Object.values(left)) {
      assert.equal(times.length, 25);
      for (const t of times) {
        const within = times.filter((u) => u >= t && u - t < 300).length;
        assert.ok(within <= 10, `${within} requests left within 300 ms of one another`);
      }
    }
    // Companies do not hold each other up: 25 each take two full windows, not five.
    const tookMs = Date.now() - started;
    assert.ok(tookMs >= 600 && tookMs < 1_200, `took ${tookMs} ms`);
  });
});
