/**
 * The environment the worker process starts with, beyond qbo-sync's configuration: both take effect only
 * when a process starts, so the launchers (scripts/start.ts, test/support/system.ts, docker-compose.yml)
 * set them, not the worker. Measured with 1,500 syncs paused (bench/RESULTS.md, "Issue #11 by hand"):
 * - MALLOC_ARENA_MAX=2: glibc gives each of the worker's threads (the SDK's Rust core, the workflow
 *   thread, the main one) malloc arenas of its own, whose freed memory stays resident; two arenas cut
 *   the peak RSS from 452 to 363 MB.
 * - --max-old-space-size=192 for the main thread: V8 otherwise sizes its heap from the machine's RAM and
 *   lets garbage pile up (the workflow thread is capped by WORKER_WORKFLOW_HEAP_MB in worker/main.ts).
 * A value the environment already gives wins.
 */
export function workerProcessEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const nodeOptions = env.NODE_OPTIONS ?? '';
  return {
    ...env,
    MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? '2',
    NODE_OPTIONS: /--max-old-space-size/.test(nodeOptions)
      ? nodeOptions
      : `${nodeOptions} --max-old-space-size=192`.trim(),
  };
}
