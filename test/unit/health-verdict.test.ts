import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { healthVerdict, type HealthFacts } from '../../api/admin/health-verdict';

const now = new Date('2026-12-01T00:00:00Z');
const settings = {
  name: 'Demo',
  country: 'US',
  closingDate: null,
  customTransactionNumbers: true,
  multicurrency: false,
  homeCurrency: 'USD',
  usingSalesTax: false,
  automatedSalesTax: false,
  nonUsTax: false,
  requiredAccounts: { accountsReceivable: true, undepositedFunds: true, income: true, missing: [] },
};
const healthy: HealthFacts = {
  connectionStatus: 'active',
  refreshTokenExpiresAt: new Date('2027-03-01T00:00:00Z'),
  settings,
  waiting: { needsAttention: 0, paused: 0 },
  now,
};

describe('health before big jobs: a plain verdict', () => {
  it('says ready when nothing blocks', () => {
    assert.deepEqual(healthVerdict(healthy), { verdict: 'ready', ready: true, fixes: [], notes: [] });
  });

  it('names the most blocking fix first: the connection before accounts before the backlog', () => {
    const v = healthVerdict({
      ...healthy,
      connectionStatus: 'needs_reauth',
      settings: {
        ...settings,
        requiredAccounts: {
          ...settings.requiredAccounts,
          undepositedFunds: false,
          missing: ['Undeposited Funds'],
        },
      },
      waiting: { needsAttention: 2, paused: 1 },
    });
    assert.equal(v.ready, false);
    assert.equal(v.verdict, 'Reconnect the company: its connection is needs reauth.');
    assert.match(v.fixes[1], /Add Undeposited Funds/);
    assert.match(v.fixes[2], /Clear the 3 sync/);
  });

  it('warns of a sign-in about to expire and notes closed books without blocking on them', () => {
    const v = healthVerdict({
      ...healthy,
      refreshTokenExpiresAt: new Date('2026-12-06T00:00:00Z'),
      settings: { ...settings, closingDate: '2026-09-30' },
    });
    assert.equal(v.verdict, 'Reconnect the company soon: its sign-in expires in 5 day(s).');
    assert.deepEqual(v.notes, [
      'The books are closed through 2026-09-30: invoices dated on or before it will pause.',
    ]);
  });

  it('asks to reconnect once the sign-in has expired, even if the connection still says active', () => {
    const v = healthVerdict({ ...healthy, refreshTokenExpiresAt: new Date('2026-11-30T12:00:00Z') });
    assert.equal(v.verdict, 'Reconnect the company: its sign-in has expired.');
  });

  it('refuses to call a company ready when QuickBooks cannot be read', () => {
    const v = healthVerdict({ ...healthy, settings: { error: 'auth_expired' } });
    assert.equal(v.ready, false);
    assert.match(v.verdict, /could not be read \(auth_expired\)/);
  });
});
