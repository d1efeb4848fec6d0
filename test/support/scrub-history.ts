import { readFileSync, writeFileSync } from 'node:fs';

/** The worker identity a scrubbed history carries instead of the recording machine's `<pid>@<host>`. */
export const scrubbedIdentity = 'recorded-worker';

/**
 * Removes from a history (as historyToJSON writes it) what it says about the machine it was recorded on:
 * failures' `stackTrace` (absolute file paths), and workers' `identity` and sticky task queue names
 * (`<pid>@<host>…`). Replay reads none of them: it compares the workflow's commands with the events, and
 * failures keep their message and type.
 */
export function scrubHistory(json: string): string {
  const scrub = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(scrub);
    if (typeof value === 'string') return /^\d+@/.test(value) ? scrubbedIdentity : value;
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'stackTrace') continue;
      out[key] = key === 'identity' && typeof inner === 'string' ? scrubbedIdentity : scrub(inner);
    }
    return out;
  };
  return JSON.stringify(scrub(JSON.parse(json)), null, 2);
}

// `node --import tsx test/support/scrub-history.ts <history.json> …` scrubs committed histories in place.
if (require.main === module) {
  for (const file of process.argv.slice(2)) writeFileSync(file, scrubHistory(readFileSync(file, 'utf8')));
}
