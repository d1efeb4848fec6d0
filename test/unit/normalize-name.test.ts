import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeName, sameEmailOrMissing } from '../../sync/normalize-name';

describe('normalizeName', () => {
  it('treats spacing, case, quotes and & the same way QuickBooks users do', () => {
    const same: [string, string][] = [
      ['Acme Co', '  acme   co '],
      ["O'Brien Plumbing", 'O\u2019Brien Plumbing'],
      ['Smith & Sons', 'smith and sons'],
      ['Smith&Sons', 'Smith and Sons'],
      ['\u201CBest\u201D Bakery', '"best" bakery'],
      ['Tab\tName', 'tab name'],
    ];
    for (const [a, b] of same) assert.equal(normalizeName(a), normalizeName(b), `${a} ≡ ${b}`);
  });

  it('keeps real differences', () => {
    assert.notEqual(normalizeName('Acme Co'), normalizeName('Acme Corp'));
    assert.notEqual(normalizeName('J. Smith'), normalizeName('J Smith'));
  });

  it('handles missing values', () => {
    assert.equal(normalizeName(undefined), '');
  });
});

describe('sameEmailOrMissing', () => {
  it('is case-insensitive and lenient when one side has no email', () => {
    assert.ok(sameEmailOrMissing('A@x.com', 'a@X.com '));
    assert.ok(sameEmailOrMissing(undefined, 'a@x.com'));
    assert.ok(!sameEmailOrMissing('a@x.com', 'b@x.com'));
  });
});
