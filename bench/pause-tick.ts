import { sleep, type Figure } from './measure';
import { histogramDelta, mean, peak, scrapeHistogram, startSampler, sum } from './process-sampler';

const scheduleToStart = 'temporal_workflow_task_schedule_to_start_latency';
const activityLatency = 'temporal_activity_execution_latency';

/**
 * Watches one self-check tick of `count` paused syncs (every sync checks its cause on ticks of
 * `intervalMs`, evicted ones replayed to do so): how fast the checks ran, what they cost the worker and
 * the database, and how long workflow tasks waited meanwhile. The window is the tick's first
 * min(interval, 180 s).
 */
export async function measurePauseTick(
  metrics: string,
  sampler: ReturnType<typeof startSampler>,
  intervalMs: number,
  count: number,
  label = '',
): Promise<Figure> {
  const tick = Math.ceil((Date.now() + 10_000) / intervalMs) * intervalMs;
  const windowMs = Math.min(intervalMs, 180_000);
  await sleep(tick - 5_000 - Date.now());
  const tasksBefore = await scrapeHistogram(metrics, scheduleToStart);
  const activitiesBefore = await scrapeHistogram(metrics, activityLatency);
  const done: { at: number; checks: number }[] = [];
  while (Date.now() < tick + windowMs) {
    await sleep(5_000);
    const now = await scrapeHistogram(metrics, activityLatency);
    done.push({ at: Date.now(), checks: histogramDelta(activitiesBefore, now, 1).count });
  }
  const tasks = histogramDelta(tasksBefore, await scrapeHistogram(metrics, scheduleToStart), 0.5);
  const tasksP99 = histogramDelta(tasksBefore, await scrapeHistogram(metrics, scheduleToStart), 0.99);
  const checks = done[done.length - 1]?.checks ?? 0;
  const until = (share: number) => {
    const reached = done.find((d) => d.checks >= share * checks);
    return reached ? `${((reached.at - tick) / 1000).toFixed(0)} s` : 'not reached';
  };
  const window = sampler.between(tick, tick + windowMs);
  const baseline = sampler.between(tick - 20_000, tick);
  const busy = window.filter((s) => s.workerCpu >= 80).length;
  return {
    figure: `Self-check tick with ${count} syncs paused${label}`,
    value:
      `${checks} checks (half done ${until(0.5)}, 95 % ${until(0.95)} after the tick); worker CPU peak ${peak(window, 'workerCpu')} %, ` +
      `mean ${mean(window, 'workerCpu')} % (${mean(baseline, 'workerCpu')} % in the 20 s before), ${busy} s at ≥ 80 %; RSS peak ${peak(window, 'workerRssMb')} MB (before ${peak(baseline, 'workerRssMb')} MB); ` +
      `database ${sum(window, 'dbCommits')} commits, peak ${peak(window, 'dbCommits')}/s; workflow task schedule-to-start p50 ≤ ${tasks.atMost} ms, ` +
      `p99 ≤ ${tasksP99.atMost} ms over ${tasks.count} tasks; machine idle mean ${mean(window, 'machineIdle')} %`,
    how:
      `the first ${windowMs / 1000} s from a tick of SYNC_PAUSE_CHECK_MS=${intervalMs} after every sync paused; checks = activity executions in the worker's ` +
      `metrics (${activityLatency}, only checks run while all wait), scraped every 5 s; latencies = bucket bounds of ${scheduleToStart}; ` +
      'CPU, RSS and idle from /proc each second; commits from pg_stat_database for the app database',
  };
}
