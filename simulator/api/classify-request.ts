import type { EntityName, QboObject } from '../state';

/** Lower-case path segments QuickBooks uses for each stored entity. */
export const ENTITY_SEGMENTS: Record<string, EntityName> = {
  customer: 'Customer',
  item: 'Item',
  account: 'Account',
  taxcode: 'TaxCode',
  taxrate: 'TaxRate',
  invoice: 'Invoice',
  payment: 'Payment',
};

/** The kind of data-API call, as counted and matched by injected faults. */
export type DataOperation = 'read' | 'query' | 'batch' | 'create' | 'update' | 'void' | 'delete' | 'unknown';

/** Works out what a data-API request does from its method, path segments, `operation`/`include` params and body. */
export function classifyRequest(
  method: string,
  segments: string[],
  params: URLSearchParams,
  body: QboObject | undefined,
): DataOperation {
  const resource = segments[0]?.toLowerCase();
  if (resource === 'query') return 'query';
  if (resource === 'batch') return method === 'POST' ? 'batch' : 'unknown';
  if (method === 'GET') return 'read';
  if (method !== 'POST') return 'unknown';
  const operation = params.get('operation')?.toLowerCase();
  const includes = (params.get('include') ?? '').toLowerCase().split(',');
  if (operation === 'void' || includes.includes('void')) return 'void';
  if (operation === 'delete') return 'delete';
  if (operation === 'update' || (body && body.Id !== undefined && body.Id !== '')) return 'update';
  return 'create';
}

/** The entity a request is about, PascalCase, when there is one. */
export function entityOf(segments: string[]): string | undefined {
  const resource = segments[0]?.toLowerCase();
  if (!resource) return undefined;
  if (resource === 'preferences') return 'Preferences';
  if (resource === 'companyinfo') return 'CompanyInfo';
  return ENTITY_SEGMENTS[resource];
}
