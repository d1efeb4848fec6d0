import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { growingWait, untilNextCheck } from '../../workflows/pause-wait';

const interval = 300_000;
const ids = Array.from({ length: 5_000 }, (_, i) => `sync:9130000000000001:inv-${i}-${(i * 7919) % 1000}`);

/** The point of the interval (ms after the aligned tick) at which the next check falls, asked at `now`. */
function phaseAt(now: number, id: string, reason: 'auth' | 'closed_period', revision: number) {
  const realNow = Date.now;
  Date.now = () => now;
  try {
    const wait = untilNextCheck(interval, id, reason, revision);
    assert.ok(wait > 0 && wait <= interval + 2_000, `wait ${wait} ms is within one interval`);
    return (now + wait) % interval;
  } finally {
    Date.now = realNow;
  }
}

describe('when a paused sync checks its cause', () => {
  it('spreads 5,000 expired-connection checks evenly over the interval (revision 3)', () => {
    const perTenth = new Array(10).fill(0);
    for (const id of ids) perTenth[Math.floor(phaseAt(1_796_000_000_000, id, 'auth', 3) / (interval / 10))]++;
    for (const n of perTenth)
      assert.ok(n > 400 && n < 600, `each tenth of the interval gets ~500: ${perTenth}`);
  });

  it('keeps each sync at its own point of the interval, whenever it asks', () => {
    for (const id of ids.slice(0, 50)) {
      const phases = [0, 1, 123_457, 299_999, 7_000_001].map((t) =>
        phaseAt(1_796_000_000_000 + t, id, 'auth', 3),
      );
      assert.equal(new Set(phases).size, 1, `${id}: ${phases}`);
    }
  });

  it('checks closed periods, and every pause of revision 2, on the aligned tick (within 2 s)', () => {
    for (const id of ids.slice(0, 500)) {
      assert.ok(phaseAt(1_796_000_123_456, id, 'closed_period', 3) < 2_000);
      assert.ok(phaseAt(1_796_000_123_456, id, 'auth', 2) < 2_000);
    }
  });

  it('from revision 4, waits on an expired connection after the first double up to the maximum', () => {
    const max = 1_800_000;
    assert.deepEqual(
      [1, 2, 3, 4, 40].map((waited) => growingWait(interval, max, waited)),
      [600_000, 1_200_000, 1_800_000, 1_800_000, 1_800_000],
    );
    const at = (waited: number, reason: 'auth' | 'closed_period', revision: number) => {
      const realNow = Date.now;
      Date.now = () => 1_796_000_123_456;
      try {
        return untilNextCheck(interval, ids[0], reason, revision, { waited, maxIntervalMs: max });
      } finally {
        Date.now = realNow;
      }
    };
    assert.equal(at(3, 'auth', 4), max);
    // The first wait is revision 3's (spread over the interval); revision 3 and closed periods never grow.
    assert.equal(at(0, 'auth', 4), at(0, 'auth', 3));
    assert.equal(at(3, 'auth', 3), at(0, 'auth', 3));
    assert.ok(at(3, 'closed_period', 4) <= interval + 2_000);
    // A maximum below the interval never shortens it.
    assert.equal(growingWait(interval, 1_000, 5), interval);
  });
});
