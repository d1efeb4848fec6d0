import { createHash } from 'node:crypto';

/** JSON with object keys sorted and `undefined` dropped, so equal content always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** sha256 (hex) of the canonical JSON of exactly the fields we send to QuickBooks. */
export function sourceHash(fields: unknown): string {
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}

/**
 * A deterministic QuickBooks `requestid` (40 chars, under QuickBooks' 50): the same parts give the same id,
 * so a retried write whose first response was lost is answered from QuickBooks' record, not applied twice.
 */
export function requestIdFor(...parts: (string | number | undefined | null)[]): string {
  return createHash('sha256')
    .update(parts.map((p) => String(p ?? '')).join('|'))
    .digest('base64url')
    .slice(0, 40);
}
