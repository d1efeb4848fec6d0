import { qboTimestamp } from '../clock';
import type { Company, EntityName, QboObject, StoredRecord } from '../state';

/** Takes the next id from the company's counter. */
export function allocateId(company: Company): string {
  return String(company.nextId++);
}

/** Stores `data` as a new record, stamping Id (unless given), SyncToken and MetaData. */
export function insertRecord(
  company: Company,
  entity: EntityName,
  data: QboObject,
  now: number,
): StoredRecord {
  const stamp = qboTimestamp(now);
  const id = data.Id ? String(data.Id) : allocateId(company);
  const record: StoredRecord = {
    data: { ...data, Id: id, SyncToken: '0', MetaData: { CreateTime: stamp, LastUpdatedTime: stamp } },
  };
  company.records[entity][id] = record;
  return record;
}

/** Replaces a record's data, bumping SyncToken and LastUpdatedTime. */
export function replaceRecordData(record: StoredRecord, data: QboObject, now: number): void {
  record.data = {
    ...data,
    Id: record.data.Id,
    SyncToken: String(Number(record.data.SyncToken) + 1),
    MetaData: { ...record.data.MetaData, LastUpdatedTime: qboTimestamp(now) },
  };
}

/** The record with `id`, deleted ones included. */
export function findRecord(company: Company, entity: EntityName, id: unknown): StoredRecord | undefined {
  if (id === undefined || id === null) return undefined;
  return company.records[entity][String(id)];
}

/** Records of an entity that have not been deleted, in creation order. */
export function liveRecords(company: Company, entity: EntityName): StoredRecord[] {
  return Object.values(company.records[entity]).filter((r) => !r.deleted);
}

/** A record as QuickBooks' name lookup compares it: trimmed and case-folded. */
export function normalizeName(name: unknown): string {
  return String(name ?? '')
    .trim()
    .toLowerCase();
}
