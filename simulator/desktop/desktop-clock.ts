/** The PC's local offset; fixed (US Eastern standard time) so output is stable across DST. */
const LOCAL_OFFSET_MS = -5 * 3600_000;

/** Formats epoch ms as Desktop writes TimeCreated/TimeModified: `2014-07-19T07:21:56-05:00` (no milliseconds). */
export function desktopTimestamp(ms: number): string {
  return new Date(ms + LOCAL_OFFSET_MS).toISOString().replace(/\.\d{3}Z$/, '-05:00');
}

/** The PC's calendar date (`YYYY-MM-DD`) at epoch ms: the default TxnDate. */
export function desktopDate(ms: number): string {
  return new Date(ms + LOCAL_OFFSET_MS).toISOString().slice(0, 10);
}
