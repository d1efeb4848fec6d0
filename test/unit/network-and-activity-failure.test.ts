import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { classifyFault, classifyNetworkError } from '../../quickbooks/faults';
import { toApplicationFailure } from '../../activities/application-failure';

/** The JSON data-services envelope, as on Intuit's "Fix common errors" page. */
function fault(code: string, message: string, detail: string, element = '', type = 'ValidationFault') {
  return JSON.stringify({
    Fault: { Error: [{ Message: message, Detail: detail, code, element }], type },
    time: '2017-09-29T09:17:31.892-07:00',
  });
}

describe('classifyNetworkError', () => {
  for (const code of ['ECONNABORTED', 'ETIMEDOUT', 'ECONNRESET']) {
    it(`${code} is transient and uncertain`, () => {
      const f = classifyNetworkError({
        code,
        message: 'x',
        config: { headers: { Authorization: 'Bearer secret' } },
      });
      assert.equal(f.pattern, 'transient_server');
      assert.equal(f.retryable, true);
      assert.equal(f.uncertain, true);
      assert.doesNotMatch(JSON.stringify(f), /secret/);
    });
  }
  it('socket hang up is uncertain', () => {
    assert.equal(classifyNetworkError(new Error('socket hang up')).uncertain, true);
  });
  it('connection refused never reached QuickBooks', () => {
    assert.equal(classifyNetworkError({ code: 'ECONNREFUSED' }).uncertain, false);
  });
});

describe('toApplicationFailure', () => {
  it('throttled without Retry-After uses the configured back-off', () => {
    const f = classifyFault(429, '');
    const failure = toApplicationFailure(f, { throttleBackoffMs: 60_000, sourceId: 'c-1', step: 'customer' });
    assert.ok(failure instanceof ApplicationFailure);
    assert.equal(failure.type, 'throttled');
    assert.equal(failure.nonRetryable, false);
    assert.equal(failure.nextRetryDelay, 60_000);
  });

  it('carries the SyncError (with sourceId) and nothing else; non-retryable patterns say so', () => {
    const body = fault(
      '6240',
      'Duplicate Name Exists Error',
      'The name supplied already exists.',
      'DisplayName',
    );
    const failure = toApplicationFailure(classifyFault(400, body, { intuit_tid: 'tid-1' }), {
      throttleBackoffMs: 1000,
      sourceId: 'c-9',
    });
    assert.equal(failure.type, 'duplicate_name');
    assert.equal(failure.nonRetryable, true);
    assert.equal(failure.nextRetryDelay, undefined);
    const detail = failure.details?.[0] as Record<string, unknown>;
    assert.deepEqual(Object.keys(detail).sort(), [
      'code',
      'detail',
      'element',
      'hint',
      'intuitTid',
      'message',
      'pattern',
      'sourceId',
    ]);
    assert.equal(detail.sourceId, 'c-9');
  });

  it('Retry-After wins over the configured back-off', () => {
    const failure = toApplicationFailure(classifyFault(429, '', { 'Retry-After': '3' }), {
      throttleBackoffMs: 60_000,
    });
    assert.equal(failure.nextRetryDelay, 3000);
  });
});
