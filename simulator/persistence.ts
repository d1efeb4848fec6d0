import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createEmptyState, type SimState } from './state';

const WRITE_DELAY_MS = 200;

/** Saves state to a JSON file shortly after it changes; a no-op without a file. */
export interface StatePersister {
  changed(): void;
  flush(): void;
}

/** Loads state from `file` if it exists, else returns an empty state. Throws if the file is not valid JSON. */
export function loadState(file: string | undefined): SimState {
  if (!file || !existsSync(file)) return createEmptyState();
  return { ...createEmptyState(), ...(JSON.parse(readFileSync(file, 'utf8')) as SimState) };
}

/** Writes `getState()` to `file`, debounced, via a temp file so a crash never leaves half a file. */
export function createStatePersister(file: string | undefined, getState: () => SimState): StatePersister {
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!file) return;
    writeFileSync(`${file}.tmp`, JSON.stringify(getState()));
    renameSync(`${file}.tmp`, file);
  };
  return {
    changed: () => {
      if (!file || timer) return;
      timer = setTimeout(flush, WRITE_DELAY_MS);
      timer.unref();
    },
    flush,
  };
}
