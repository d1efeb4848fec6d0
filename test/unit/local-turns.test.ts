import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLocalTurns } from '../../connections/local-turns';

void describe('local turns per company', () => {
  void it('one waiter per key at a time, first come first served; other keys do not wait', async () => {
    const turns = createLocalTurns();
    const order: string[] = [];
    const first = await turns.take('a');
    const second = turns.take('a').then((done) => {
      order.push('a2');
      done();
    });
    const third = turns.take('a').then((done) => {
      order.push('a3');
      done();
    });
    const other = await turns.take('b');
    order.push('b1');
    other();
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(order, ['b1'], 'the second and third waiter of a wait for the first');
    first();
    await Promise.all([second, third]);
    assert.deepEqual(order, ['b1', 'a2', 'a3']);
  });

  void it('a waiter heartbeats while it waits its turn', async () => {
    let beats = 0;
    const turns = createLocalTurns(() => beats++, 20);
    const first = await turns.take('a');
    const waiting = turns.take('a');
    await new Promise((r) => setTimeout(r, 110));
    first();
    (await waiting)();
    assert.ok(beats >= 3, `heartbeats while waiting: ${beats}`);
  });
});
