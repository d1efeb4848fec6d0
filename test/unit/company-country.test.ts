import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { companyCountryOf } from '../../quickbooks/company-country';

describe('companyCountryOf', () => {
  it('reads the top-level alpha-2 Country, else the address country QuickBooks now sends as alpha-3', () => {
    assert.equal(companyCountryOf({ Country: 'US', CompanyAddr: { Country: 'USA' } }), 'US');
    assert.equal(companyCountryOf({ CompanyAddr: { Country: 'USA' } }), 'US');
    assert.equal(companyCountryOf({ CompanyAddr: { Country: 'GBR' } }), 'GB');
    assert.equal(companyCountryOf({ CompanyAddr: { Country: 'can' } }), 'CA');
    assert.equal(companyCountryOf({ CompanyAddr: { Country: 'Australia' } }), 'AU');
    assert.equal(companyCountryOf({ CompanyAddr: { Country: 'United States' } }), 'US');
    assert.equal(companyCountryOf({ Country: 'FR' }), 'FR');
    assert.equal(companyCountryOf({}), null);
    assert.equal(companyCountryOf(null), null);
    assert.equal(companyCountryOf({ Country: '  ' }), null);
  });
});
