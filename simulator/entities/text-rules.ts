import { faults } from '../qbo-error';
import type { QboObject } from '../state';

const FORBIDDEN = /[:\t\n]/;

/** Throws 6000 if any of `fields` holds a colon, tab or newline (QuickBooks' name rule). */
export function rejectForbiddenNameCharacters(data: QboObject, fields: string[]): void {
  for (const field of fields) {
    if (typeof data[field] === 'string' && FORBIDDEN.test(data[field]))
      throw faults.forbiddenNameCharacters(field);
  }
}

/** Throws 2050 if `value` (at `element`) is longer than `max` characters. */
export function enforceMaxLength(value: unknown, element: string, max: number): void {
  if (typeof value === 'string' && value.length > max) throw faults.stringLength(element, max, value.length);
}

/** Rounds to cents the way QuickBooks compares money. */
export function roundMoney(n: number): number {
  return Math.round((n + Number.EPSILON) * 100) / 100;
}

/** Reads a number field that may arrive as a string; undefined when absent or not numeric. */
export function toNumber(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}
