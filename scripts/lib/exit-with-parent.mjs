import { isMainThread } from 'node:worker_threads';
import process from 'node:process';
import { clearInterval, setInterval, setTimeout } from 'node:timers';

/*
 * Preloaded (`--import`) into every Node child the scripts start; plain JavaScript because worker threads
 * inherit the flag without tsx. When the parent dies without stopping the child (SIGKILL, a crash), the
 * child is re-parented and notices the new ppid within half a second. It then sends itself SIGTERM, so
 * its own graceful stop runs, and exits hard if that takes too long.
 */
if (isMainThread) {
  const parentPid = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parentPid) return;
    clearInterval(watch);
    setTimeout(() => process.exit(1), 10_000).unref();
    process.kill(process.pid, 'SIGTERM');
  }, 500);
  watch.unref();
}
