import { faults, QboError } from '../qbo-error';
import { ENTITY_NAMES, type Company, type EntityName, type QboObject } from '../state';

/** Intuit: "Server responses can handle a maximum of 1,000 objects" (across every entity asked for). */
export const CDC_MAX_OBJECTS = 1000;
/** Intuit: "CDC operations can track changes within the last 30 days." */
export const CDC_MAX_DAYS = 30;
/** Intuit lists these as not supported by CDC (TaxCode, TaxRate among the ones we store). */
const UNSUPPORTED = new Set(['TaxCode', 'TaxRate', 'TaxAgency', 'TimeActivity', 'JournalCode']);

function cdcFault(detail: string): QboError {
  return new QboError({ Message: 'Invalid request', Detail: detail, code: '2', element: '' });
}

interface Changed {
  entity: EntityName;
  at: number;
  object: QboObject;
  deleted: boolean;
}

/**
 * `GET /v3/company/{realm}/cdc?entities=…&changedSince=…`: the current state of every object of those
 * entities changed at or after `changedSince`, one QueryResponse per entity (in the order asked), deleted
 * objects as stubs with `status: "Deleted"` after the live ones. No paging: at most 1,000 objects across all
 * entities, the oldest changes first, so a caller seeing 1,000 must ask again from a later time.
 */
export function changeDataCapture(company: Company, now: number, params: URLSearchParams): QboObject {
  const raw = (params.get('entities') ?? '').split(',').map((e) => e.trim());
  if (raw.every((e) => e === '')) throw faults.requiredMissing('entities');
  const entities: EntityName[] = [];
  for (const name of raw.filter(Boolean)) {
    const entity = ENTITY_NAMES.find((e) => e.toLowerCase() === name.toLowerCase());
    if (!entity || UNSUPPORTED.has(entity)) throw cdcFault(`Entity ${name} is not supported by cdc`);
    if (!entities.includes(entity)) entities.push(entity);
  }
  const sinceText = params.get('changedSince') ?? '';
  const since = Date.parse(sinceText);
  if (!sinceText || Number.isNaN(since)) throw faults.requiredMissing('changedSince');
  if (since < now - CDC_MAX_DAYS * 86_400_000) {
    throw cdcFault(
      `Operation cdc with changedSince date ${sinceText} which is older than fixed days is not supported.`,
    );
  }

  const changed: Changed[] = [];
  for (const entity of entities) {
    for (const record of Object.values(company.records[entity])) {
      const at = Date.parse(String(record.data.MetaData?.LastUpdatedTime ?? ''));
      if (!(at >= since)) continue;
      const object = record.deleted
        ? {
            domain: 'QBO',
            status: 'Deleted',
            Id: record.data.Id,
            MetaData: { LastUpdatedTime: record.data.MetaData?.LastUpdatedTime },
          }
        : { ...record.data, domain: 'QBO', sparse: false };
      changed.push({ entity, at, object, deleted: Boolean(record.deleted) });
    }
  }
  changed.sort((a, b) => a.at - b.at || Number(a.object.Id) - Number(b.object.Id));
  const kept = changed.slice(0, CDC_MAX_OBJECTS);

  const QueryResponse = entities.map((entity) => {
    const mine = kept.filter((c) => c.entity === entity);
    const ordered = [...mine.filter((c) => !c.deleted), ...mine.filter((c) => c.deleted)].map(
      (c) => c.object,
    );
    return ordered.length
      ? { [entity]: ordered, startPosition: 1, maxResults: ordered.length, totalCount: ordered.length }
      : {};
  });
  return { CDCResponse: [{ QueryResponse }] };
}
