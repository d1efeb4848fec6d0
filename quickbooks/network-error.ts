import { patternPolicy } from '../workflows/pattern-policy';
import type { ClassifiedFault } from './qbo-fault';

/**
 * Classifies an HTTP failure that produced no response (axios error without `response`).
 * `uncertain` is true when the request may have reached QuickBooks and committed: a timeout, a reset or a
 * hung-up socket after sending. A refused connection or a DNS failure never reached QuickBooks.
 * Only the error code and a fixed message are kept: the axios error (which holds the bearer) is dropped.
 */
export function classifyNetworkError(err: unknown): ClassifiedFault & { uncertain: boolean } {
  const e = (err ?? {}) as { code?: string; message?: string };
  const code = typeof e.code === 'string' ? e.code : '';
  const hungUp = typeof e.message === 'string' && /socket hang up|timeout/i.test(e.message);
  const neverSent = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL'].includes(code);
  return {
    pattern: 'transient_server',
    code: code || 'NETWORK',
    message: neverSent
      ? 'Could not reach QuickBooks'
      : 'No response from QuickBooks (timed out or connection lost)',
    detail:
      code === 'ECONNABORTED' || code === 'ETIMEDOUT'
        ? 'The request timed out.'
        : hungUp
          ? 'Socket hang up.'
          : '',
    hint: patternPolicy.transient_server.hint,
    retryable: patternPolicy.transient_server.retryable,
    status: 0,
    uncertain: !neverSent,
  };
}
