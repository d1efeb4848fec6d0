import type { CompanyFile } from './records';

/**
 * Identifiers the way Desktop mints them: ListID `8000001B-1405768916` (a hex counter, then the creation time in
 * Unix seconds), TxnID and TxnLineID `11C26-1196256987`, and EditSequence, a Unix-time-like number that grows
 * on every change (two changes in one second still get different values).
 */
export function newListId(file: CompanyFile, nowMs: number): string {
  file.counters.list += 1;
  return `${file.counters.list.toString(16).toUpperCase()}-${Math.floor(nowMs / 1000)}`;
}

/** A new TxnID or TxnLineID (one counter for both, as Desktop's ids of both kinds never collide). */
export function newTxnId(file: CompanyFile, nowMs: number): string {
  file.counters.txn += 1;
  return `${file.counters.txn.toString(16).toUpperCase()}-${Math.floor(nowMs / 1000)}`;
}

/** The next EditSequence: the current Unix second, or one more than the last one handed out. */
export function nextEditSequence(file: CompanyFile, nowMs: number): string {
  const next = Math.max(Math.floor(nowMs / 1000), file.counters.lastEditSequence + 1);
  file.counters.lastEditSequence = next;
  return String(next);
}
