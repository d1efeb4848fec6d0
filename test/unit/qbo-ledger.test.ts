import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectFor } from '../../sync/qbo-ledger';

/** The QuickBooks Online ledger turns structured criteria into exactly the queries the steps sent before the port. */
describe('QuickBooks Online ledger: criteria to query', () => {
  it('joins conditions in order, escapes values and puts the active filter last', () => {
    assert.equal(
      selectFor('Customer', {
        where: [{ field: 'DisplayName', op: '=', value: "O'Brien \\ Co" }],
        active: 'any',
      }),
      "SELECT * FROM Customer WHERE DisplayName = 'O\\'Brien \\\\ Co' AND Active IN (true, false)",
    );
    assert.equal(
      selectFor('Payment', {
        where: [
          { field: 'CustomerRef', op: '=', value: '7' },
          { field: 'TxnDate', op: '>=', value: '2026-01-01' },
          { field: 'TxnDate', op: '<=', value: '2026-02-01' },
        ],
      }),
      "SELECT * FROM Payment WHERE CustomerRef = '7' AND TxnDate >= '2026-01-01' AND TxnDate <= '2026-02-01'",
    );
    assert.equal(
      selectFor('Item', { where: [{ field: 'Name', op: 'contains', value: 'bolt' }] }),
      "SELECT * FROM Item WHERE Name LIKE '%bolt%'",
    );
    assert.equal(
      selectFor('Customer', { active: 'inactive' }),
      'SELECT * FROM Customer WHERE Active = false',
    );
    assert.equal(selectFor('Invoice'), 'SELECT * FROM Invoice');
  });

  it('refuses a field name that could carry query text', () => {
    assert.throws(() => selectFor('Customer', { where: [{ field: "x' OR 1=1", op: '=', value: 'a' }] }));
  });
});
