import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyDesktopStatus, isDesktopSuccess } from '../../desktop/status-codes';

/** qbXML status codes become our patterns (../shared/qbo-changes-and-desktop.md §3.4). */
describe('QuickBooks Desktop status codes', () => {
  it('maps each documented code to its pattern, retry and pause', () => {
    const cases: [number, string, string, boolean][] = [
      [3100, 'The name "Acme" of the list element is already in use.', 'duplicate_name', false],
      [3200, 'The provided edit sequence "1416315972" is out-of-date.', 'stale_object', false],
      [3170, 'This list has been modified by another user.', 'transient_server', true],
      [3175, 'There was an error when saving a Customer list, element "Acme".', 'transient_server', true],
      [3176, 'failed to acquire the lock', 'transient_server', true],
      [3180, 'There was an error when saving a Items list.', 'transient_server', true],
      [
        3120,
        'Object "80000001-1" specified in the request cannot be found.',
        'inactive_or_missing_reference',
        false,
      ],
      [
        3140,
        'There is an invalid reference to QuickBooks Account "X" in the Item.',
        'inactive_or_missing_reference',
        false,
      ],
      [3210, 'You cannot pay more than the amount due.', 'invalid_field', false],
      [3250, 'This feature is not enabled or not available in this version of QuickBooks.', 'other', false],
      [3261, 'The integrated application has no permission to access personal data.', 'other', false],
    ];
    for (const [code, message, pattern, retryable] of cases) {
      const fault = classifyDesktopStatus(code, message);
      assert.equal(fault.pattern, pattern, `${code}`);
      assert.equal(fault.retryable, retryable, `${code} retryable`);
      assert.equal(fault.code, String(code));
    }
    assert.match(
      classifyDesktopStatus(3260, 'Insufficient permission level').hint,
      /Integrated Applications/,
    );
  });

  it('a closing-date refusal pauses as closed_period whatever its code', () => {
    const fault = classifyDesktopStatus(
      3170,
      'The transaction date is on or before the closing date of 2026-06-30.',
    );
    assert.equal(fault.pattern, 'closed_period');
    assert.equal(fault.pause, 'closed_period');
  });

  it('codes below 1000 are success or warnings (1: no match, 500: not found); 1000 and up are errors', () => {
    for (const code of [0, 1, 500, 530]) assert.ok(isDesktopSuccess(code), `${code}`);
    for (const code of [1000, 3100, -1]) assert.ok(!isDesktopSuccess(code), `${code}`);
  });
});
