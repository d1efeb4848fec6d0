import { faults } from '../qbo-error';
import type { EntityName, QboObject, StoredRecord } from '../state';
import { accountRules } from './account';
import { recomputeBalances } from './balances';
import { customerRules } from './customer';
import { invoiceRules } from './invoice';
import { itemRules } from './item';
import { paymentRules } from './payment';
import { findRecord, insertRecord, replaceRecordData } from './records';
import type { EntityRules, WriteContext } from './write-context';

/** The write operations the data API accepts. */
export type WriteOperation = 'create' | 'update' | 'void' | 'delete';

/** A write that passed every rule; `apply()` commits it and returns the response body (without `time`). */
export interface PreparedWrite {
  apply(): QboObject;
}

const RULES: Partial<Record<EntityName, EntityRules>> = {
  Customer: customerRules,
  Item: itemRules,
  Account: accountRules,
  Invoice: invoiceRules,
  Payment: paymentRules,
};

const READ_ONLY = ['Id', 'SyncToken', 'MetaData', 'sparse', 'domain', 'status'];

function withoutReadOnly(body: QboObject): QboObject {
  const copy = { ...body };
  for (const key of READ_ONLY) delete copy[key];
  return copy;
}

function checkPeriodOpen(ctx: WriteContext, ...dates: unknown[]): void {
  const closed = ctx.company.prefs.bookCloseDate;
  if (!closed) return;
  if (dates.some((d) => typeof d === 'string' && d.slice(0, 10) <= closed))
    throw faults.periodClosed(ctx.company.flags.closedPeriodCode);
}

function targetOf(ctx: WriteContext, entity: EntityName, body: QboObject, rules: EntityRules): StoredRecord {
  if (body.Id === undefined || body.Id === '') throw faults.requiredMissing('Id');
  if (body.SyncToken === undefined || body.SyncToken === '') throw faults.requiredMissing('SyncToken');
  const record = findRecord(ctx.company, entity, body.Id);
  if (!record || record.deleted)
    throw rules.transaction ? faults.deletedTransaction() : faults.invalidReference('Id');
  if (String(body.SyncToken) !== record.data.SyncToken) throw faults.staleObject();
  return record;
}

/**
 * Checks a write against the company as it is now, without changing anything.
 * Throws a QboError for any broken rule; the returned `apply()` commits it.
 */
export function prepareWrite(
  ctx: WriteContext,
  entity: EntityName,
  operation: WriteOperation,
  body: QboObject,
): PreparedWrite {
  const rules = RULES[entity];
  if (!rules) throw faults.unsupportedOperation(`${operation} ${entity}`);
  const lapsed = ctx.company.flags.subscriptionLapsed;
  if (lapsed) throw faults.companyStatus(lapsed === '200' ? 200 : 400);
  const { company, now } = ctx;
  const commit = (record: StoredRecord, data: QboObject, mark?: 'voided' | 'deleted'): QboObject => {
    replaceRecordData(record, data, now);
    if (mark) record[mark] = true;
    recomputeBalances(company, now, record.data.Id);
    return mark === 'deleted'
      ? { [entity]: { domain: 'QBO', status: 'Deleted', Id: record.data.Id } }
      : { [entity]: record.data };
  };

  if (operation === 'create') {
    const data = rules.normalize(ctx, withoutReadOnly(body));
    if (rules.transaction) checkPeriodOpen(ctx, data.TxnDate);
    return {
      apply: () => {
        const record = insertRecord(company, entity, data, now);
        recomputeBalances(company, now, record.data.Id);
        return { [entity]: record.data };
      },
    };
  }
  if (!rules.transaction && operation !== 'update')
    throw faults.unsupportedOperation(operation === 'delete' ? 'Delete' : 'Void');
  const record = targetOf(ctx, entity, body, rules);
  if (operation === 'update') {
    const merged =
      body.sparse === true || body.sparse === 'true'
        ? { ...withoutReadOnly(record.data), ...withoutReadOnly(body) }
        : withoutReadOnly(body);
    const data = rules.normalize(ctx, merged, record);
    if (rules.transaction) checkPeriodOpen(ctx, data.TxnDate, record.data.TxnDate);
    return { apply: () => commit(record, data) };
  }
  checkPeriodOpen(ctx, record.data.TxnDate);
  if (operation === 'void') {
    const data = rules.voided?.(record.data) ?? record.data;
    return {
      apply: () =>
        commit(record, { ...data, LinkedTxn: entity === 'Invoice' ? [] : data.LinkedTxn }, 'voided'),
    };
  }
  if (entity === 'Invoice' && (record.data.LinkedTxn ?? []).length > 0) {
    throw faults.businessValidation(
      'You must unlink any linked transactions before deleting this transaction.',
    );
  }
  return { apply: () => commit(record, record.data, 'deleted') };
}
