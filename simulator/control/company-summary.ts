import type { SimContext } from '../context';
import { preferencesOf } from '../company-views';
import type { Company } from '../state';
import { ENTITY_NAMES } from '../state';

/** What `GET /_sim/companies/:realmId` reports: preferences, limits, flags and record counts. */
export function companySummary(sim: SimContext, company: Company): object {
  const counts = Object.fromEntries(
    ENTITY_NAMES.map((e) => [e, Object.values(company.records[e]).filter((r) => !r.deleted).length]),
  );
  return {
    realmId: company.realmId,
    companyName: company.companyName,
    country: company.country,
    preferences: preferencesOf(company),
    customTxnNumbers: company.prefs.customTxnNumbers,
    multiCurrency: company.prefs.multiCurrency,
    bookCloseDate: company.prefs.bookCloseDate ?? null,
    limits: company.limits,
    flags: company.flags,
    counts,
    faults: sim.runtime(company.realmId).faults.map(({ id, kind, remaining }) => ({ id, kind, remaining })),
  };
}
