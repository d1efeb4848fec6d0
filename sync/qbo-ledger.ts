import type { Criterion, FindCriteria, Ledger } from './ledger';
import { escapeQueryValue, type QboClient } from '../quickbooks/client';

/** The ledger port over QuickBooks Online: structured criteria become the query language's WHERE. */
export function qboLedger(client: QboClient): Ledger {
  return {
    create: (realmId, entity, body, options) => client.create(realmId, entity, body, options),
    read: (realmId, entity, id) => client.read(realmId, entity, id),
    update: (realmId, entity, body, options) => client.update(realmId, entity, body, options),
    void: (realmId, entity, ref, options) => client.void(realmId, entity, ref, options),
    find: (realmId, entity, criteria) => client.query(realmId, selectFor(entity, criteria)),
    preferences: (realmId) => client.preferences(realmId),
    companyInfo: (realmId) => client.read(realmId, 'CompanyInfo', realmId),
  };
}

/** The SELECT for `criteria`: conditions in order, then the active filter. */
export function selectFor(entity: string, criteria: FindCriteria = {}): string {
  const conditions = (criteria.where ?? []).map(condition);
  if (criteria.active === 'any') conditions.push('Active IN (true, false)');
  if (criteria.active === 'inactive') conditions.push('Active = false');
  return `SELECT * FROM ${entity}${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''}`;
}

function condition({ field, op, value }: Criterion): string {
  if (!/^[A-Za-z][A-Za-z0-9.]*$/.test(field)) throw new Error(`not a QuickBooks field name: ${field}`);
  const v = escapeQueryValue(value);
  return op === 'contains' ? `${field} LIKE '%${v}%'` : `${field} ${op} '${v}'`;
}
