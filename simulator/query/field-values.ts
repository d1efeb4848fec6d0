import type { QboObject } from '../state';
import type { QueryValue } from './parse-query';

/** Reads a dotted field path case-insensitively; a `{ value }` reference yields its value. */
export function readField(data: QboObject, path: string): unknown {
  let current: unknown = data;
  for (const segment of path.split('.')) {
    if (!current || typeof current !== 'object') return undefined;
    if (Object.hasOwn(current, segment)) {
      current = (current as QboObject)[segment];
      continue;
    }
    const lower = segment.toLowerCase();
    const key = Object.keys(current).find((k) => k.toLowerCase() === lower);
    current = key === undefined ? undefined : (current as QboObject)[key];
  }
  if (current && typeof current === 'object' && 'value' in current)
    return (current as { value: unknown }).value;
  return current;
}

const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;

/** Compares a stored value with a query literal: -1, 0, 1, or NaN when they cannot be compared. */
export function compareToLiteral(stored: unknown, literal: QueryValue): number {
  if (stored === undefined || stored === null) return Number.NaN;
  if (typeof stored === 'boolean') return String(stored) === String(literal).toLowerCase() ? 0 : Number.NaN;
  const s = String(stored);
  const l = String(literal);
  if (s.trim() !== '' && l.trim() !== '' && Number.isFinite(Number(s)) && Number.isFinite(Number(l)))
    return Math.sign(Number(s) - Number(l));
  if (DATE_LIKE.test(s) && DATE_LIKE.test(l)) {
    const a = Date.parse(s);
    const b = Date.parse(l);
    if (!Number.isNaN(a) && !Number.isNaN(b)) return Math.sign(a - b);
  }
  // QuickBooks compares strings case-insensitively.
  const a = s.toLowerCase();
  const b = l.toLowerCase();
  return a === b ? 0 : a < b ? -1 : 1;
}

/** QuickBooks LIKE: `%` is the only wildcard; case-insensitive. */
export function matchesLike(stored: unknown, pattern: string): boolean {
  if (stored === undefined || stored === null) return false;
  const regex = new RegExp(
    `^${pattern
      .split('%')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'is',
  );
  return regex.test(String(stored));
}
