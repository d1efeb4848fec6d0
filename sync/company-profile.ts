import { companyCountryOf } from '../quickbooks/company-country';
import { getCompanyProfile, saveCompanyProfile } from '../db/queries/company-profiles';
import type { SyncDeps } from './sync-deps';

/**
 * The company's country, read from QuickBooks' CompanyInfo the first time and remembered, so the
 * steady state reads nothing. Non-US companies need GlobalTaxCalculation on every transaction.
 */
export async function companyCountry(deps: SyncDeps, realmId: string): Promise<string | null> {
  const stored = await getCompanyProfile(deps.db, realmId);
  if (stored) return stored.country;
  const info = (await deps.ledger.companyInfo(realmId)) as Record<string, any>;
  const country = companyCountryOf(info);
  await saveCompanyProfile(deps.db, realmId, { country });
  return country;
}

/** How a non-US company's transaction states tax; US companies must not send it. */
export async function globalTaxCalculation(
  deps: SyncDeps,
  realmId: string,
): Promise<'TaxExcluded' | undefined> {
  const country = await companyCountry(deps, realmId);
  return country && country !== 'US' ? 'TaxExcluded' : undefined;
}
