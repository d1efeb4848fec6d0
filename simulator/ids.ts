import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/** A QuickBooks-like realm id: 16 digits starting with 9130 or similar. */
export function newRealmId(): string {
  let digits = '9130';
  while (digits.length < 16) digits += String(randomInt(0, 10));
  return digits;
}

/** An opaque bearer or refresh token. */
export function newOpaqueToken(prefix: string): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

/** The value of the `intuit_tid` response header. */
export function newIntuitTid(): string {
  return `1-${randomUUID().replace(/-/g, '').slice(0, 24)}`;
}
