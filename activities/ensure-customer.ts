import { getPolicy } from '../db/queries/policies';
import type { CustomerDoc } from '../workflows/contract';
import { findByNormalizedName } from '../sync/find-by-name';
import { normalizeName, sameEmailOrMissing } from '../sync/normalize-name';
import type { QboRecord } from '../quickbooks/client';
import { asActivity } from './application-failure';
import { converge } from '../sync/converge';
import { isFault, refine } from '../quickbooks/faults';
import { prune } from '../sync/prune';
import { type SyncDeps, type EnsureResult } from '../sync/sync-deps';
import { ensureActive, linkExisting } from '../sync/inactive-records';

export interface EnsureCustomerInput {
  realmId: string;
  syncId: string;
  customer: CustomerDoc;
}

/** The Customer fields qbo-sync owns, as QuickBooks spells them. */
export function customerFields(c: CustomerDoc): Record<string, unknown> {
  const a = c.billingAddress;
  return prune({
    DisplayName: c.displayName,
    GivenName: c.givenName,
    FamilyName: c.familyName,
    CompanyName: c.companyName,
    PrimaryEmailAddr: c.email ? { Address: c.email } : undefined,
    PrimaryPhone: c.phone ? { FreeFormNumber: c.phone } : undefined,
    BillAddr: a
      ? {
          Line1: a.line1,
          Line2: a.line2,
          City: a.city,
          CountrySubDivisionCode: a.region,
          PostalCode: a.postalCode,
          Country: a.country,
        }
      : undefined,
  });
}

/** The same party: same normalized name, and the same email unless one side has none. */
export function isSameCustomer(record: QboRecord, c: CustomerDoc): boolean {
  const email = (record.PrimaryEmailAddr as { Address?: string } | undefined)?.Address;
  return (
    normalizeName(String(record.DisplayName ?? '')) === normalizeName(c.displayName) &&
    sameEmailOrMissing(email, c.email)
  );
}

/**
 * Makes sure the source customer exists in QuickBooks, exactly once, with the fields we own.
 * A name collision with the same party is linked when the company's policy allows; otherwise throws
 * duplicate_name naming the existing QuickBooks id. Throws ApplicationFailure (type = pattern).
 */
export function ensureCustomer(deps: SyncDeps, input: EnsureCustomerInput): Promise<EnsureResult> {
  const { realmId, syncId, customer } = input;
  return asActivity(
    deps,
    { step: 'customer', sourceId: customer.sourceId, sync: { realmId, syncId } },
    async () => {
      const key = { realmId, entityType: 'Customer' as const, sourceId: customer.sourceId };
      const byName = () => findCustomersByName(deps, realmId, customer.displayName);
      return converge(deps, {
        syncId,
        key,
        fields: customerFields(customer),
        marker: customer.displayName,
        findPending: async () => (await byName()).find((r) => isSameCustomer(r, customer)),
        afterWrite: (record) => ensureActive(deps, realmId, syncId, record, 'customer'),
        async onCreateRefused(fault, hash) {
          if (!isFault(fault, 'duplicate_name')) throw fault;
          const existing = await byName();
          const policy = await getPolicy(deps.db, realmId);
          const same = existing.find((r) => isSameCustomer(r, customer));
          if (same && policy.onNameCollision === 'link')
            return linkExisting(deps, key, syncId, same, hash, 'customer');
          const other = same ?? existing[0];
          throw refine(fault, {
            detail: other
              ? `QuickBooks customer ${other.Id} ("${String(other.DisplayName)}") already uses this name` +
                (same
                  ? '; company policy asks before linking.'
                  : ' and looks like a different party (email differs).')
              : `${fault.fault.detail} No QuickBooks customer has exactly this name: a vendor or employee may use it.`,
            hint:
              'QuickBooks already has a customer, vendor or employee with this name. If it is the same customer, link it ' +
              `(Resolve → link to QuickBooks id ${other?.Id ?? '…'}); otherwise rename it in the source app, then retry.`,
          });
        },
      });
    },
  );
}

/** Customers (active or not) whose DisplayName is this one, normalized. */
export function findCustomersByName(deps: SyncDeps, realmId: string, name: string): Promise<QboRecord[]> {
  return findByNormalizedName(deps, realmId, 'Customer', 'DisplayName', name);
}
