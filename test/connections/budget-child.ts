/**
 * One worker process hammering the shared realm budget. Prints one JSON line per granted request:
 * `{ at, end, batch }` in epoch ms, `at` when acquire() returned and `end` just before the slot was released.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createRealmBudget } from '../../connections/realm-budget';
import { createDb } from '../../db/client';

async function main() {
  const env = (k: string) => {
    const v = process.env[k];
    if (v === undefined) throw new Error(`${k} is required`);
    return v;
  };
  const { sql, close } = createDb(env('DATABASE_URL'), { max: Number(env('WORKERS')) + 2 });
  const budget = createRealmBudget({
    sql,
    perMinute: Number(env('PER_MINUTE')),
    maxInFlight: Number(env('MAX_IN_FLIGHT')),
    perSecond: Number(env('PER_SECOND')),
    batchesPerMinute: Number(process.env.BATCHES_PER_MINUTE ?? 40),
    leaseMs: 30_000,
  });
  const realmId = env('REALM');
  const [holdMin, holdMax] = [Number(env('HOLD_MIN_MS')), Number(env('HOLD_MAX_MS'))];
  await sleep(Math.max(0, Number(env('START_AT')) - Date.now()));
  // Counted from when this process could actually start: on a busy machine tsx may start it late.
  const deadline = Date.now() + Number(env('DURATION_MS'));

  // Every BATCH_EVERY-th worker asks for batch requests only (0: none).
  const batchEvery = Number(process.env.BATCH_EVERY ?? 0);
  const worker = async (_: unknown, index: number) => {
    const batch = batchEvery > 0 && index % batchEvery === 0;
    while (Date.now() < deadline) {
      const release = await budget.acquire(realmId, { batch });
      const at = Date.now();
      if (at >= deadline) {
        await release();
        return;
      }
      await sleep(holdMin + Math.random() * (holdMax - holdMin));
      process.stdout.write(`${JSON.stringify({ at, end: Date.now(), pid: process.pid, batch })}\n`);
      await release();
    }
  };
  // Workers still waiting for budget at the deadline are abandoned: the process just ends.
  await Promise.race([
    Promise.all(Array.from({ length: Number(env('WORKERS')) }, worker)),
    sleep(deadline - Date.now() + 2_000),
  ]);
  process.stdout.write(`${JSON.stringify({ done: true })}\n`);
  await close();
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
