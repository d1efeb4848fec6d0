import type { QboRecord } from '../quickbooks/client';

/** The `qbo-sync:<sourceId>` marker put in a transaction's PrivateNote. */
export function markerFor(sourceId: string): string {
  return `qbo-sync:${sourceId}`;
}

/** True when a PrivateNote carries exactly this marker (not one that merely starts with it). */
export function hasMarker(privateNote: unknown, marker: string): boolean {
  if (typeof privateNote !== 'string') return false;
  const escaped = marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|\\s)${escaped}(\\s|$)`).test(privateNote);
}

/** A voided transaction (QuickBooks zeroes it and writes "Voided" into the PrivateNote). */
export function isVoided(record: QboRecord): boolean {
  return Number(record.TotalAmt ?? 0) === 0 && /\bVoided\b/.test(String(record.PrivateNote ?? ''));
}
