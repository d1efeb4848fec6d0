import { QboFault } from '../quickbooks/faults';
import type { ErrorPattern } from '../workflows/contract';
import { ApiError, validationError } from './errors';

/** Patterns that mean qbo-sync cannot use the company's connection until someone reconnects it. */
const connectionPatterns: ReadonlySet<ErrorPattern> = new Set([
  'auth_expired',
  'auth_forbidden',
  'company_status',
]);
const unavailablePatterns: ReadonlySet<ErrorPattern> = new Set(['throttled', 'transient_server']);

/** Where an admin reconnects a company (the OAuth start route). */
export function connectUrl(publicUrl: string, realmId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/v1/connections/connect?realmId=${encodeURIComponent(realmId)}`;
}

export interface ProblemContext {
  realmId: string;
  /** The API's public base (API_PUBLIC_URL), for the reconnect link. */
  publicUrl: string;
  /** The request field the QuickBooks lookup was for, named in a 422. */
  field: string;
  /** What was looked up, in words ("Item record", "account"). */
  what: string;
}

/**
 * The one place a QuickBooks failure met while answering an admin becomes an HTTP answer: a company
 * qbo-sync cannot use (not connected, revoked, needs re-authorisation, forbidden, company inactive) → 409
 * `connection_unusable` with the connect URL; QuickBooks down or throttling → 502; anything else QuickBooks
 * refused → 422 on `field`. Rethrows what is not a QboFault.
 */
export function quickBooksProblem(err: unknown, context: ProblemContext): never {
  if (!(err instanceof QboFault)) throw err;
  const { pattern, message } = err.fault;
  if (connectionPatterns.has(pattern)) {
    throw new ApiError(
      409,
      'connection_unusable',
      `QuickBooks refused access (${pattern}: ${message}): reconnect the company at ` +
        `${connectUrl(context.publicUrl, context.realmId)}, then try again.`,
    );
  }
  if (unavailablePatterns.has(pattern)) {
    throw new ApiError(
      502,
      'quickbooks_unavailable',
      `QuickBooks did not answer (${message}); try again shortly.`,
    );
  }
  throw validationError([
    { path: context.field, reason: `QuickBooks has no ${context.what} with this id (${message})` },
  ]);
}

/** Runs a QuickBooks call, turning its failure into an HTTP answer with quickBooksProblem. */
export async function askQuickBooks<T>(call: () => Promise<T>, context: ProblemContext): Promise<T> {
  try {
    return await call();
  } catch (err) {
    return quickBooksProblem(err, context);
  }
}
