/** Offset QuickBooks uses for sandbox companies (Pacific); fixed so output is stable across DST. */
const COMPANY_OFFSET_MS = -8 * 3600_000;

/** The simulator's clock: real time plus an offset tests can move forward. */
export interface SimClock {
  now(): number;
  advance(seconds: number): void;
  offsetMs(): number;
  setOffsetMs(ms: number): void;
}

/** Creates a clock starting at real time plus `offsetMs`. */
export function createClock(offsetMs = 0): SimClock {
  let offset = offsetMs;
  return {
    now: () => Date.now() + offset,
    advance: (seconds) => {
      offset += seconds * 1000;
    },
    offsetMs: () => offset,
    setOffsetMs: (ms) => {
      offset = ms;
    },
  };
}

/** Formats epoch ms the way QuickBooks does: `2024-05-01T09:17:31.892-08:00`. */
export function qboTimestamp(ms: number): string {
  return new Date(ms + COMPANY_OFFSET_MS).toISOString().replace('Z', '-08:00');
}

/** The company-local calendar date (`YYYY-MM-DD`) at epoch ms. */
export function qboDate(ms: number): string {
  return new Date(ms + COMPANY_OFFSET_MS).toISOString().slice(0, 10);
}
