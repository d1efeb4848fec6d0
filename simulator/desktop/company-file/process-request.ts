import type { DesktopFaults } from '../desktop-faults';
import { touch } from './company-file';
import { customerAdd, customerMod, customerQuery } from './customers';
import type { HandlerContext, HandlerResult, RequestHandler } from './handler';
import { invoiceAdd, invoiceMod, invoiceQuery } from './invoices';
import { itemNonInventoryAdd, itemQuery, itemServiceAdd } from './items';
import { receivePaymentAdd, receivePaymentQuery } from './payments';
import { child, parseRequestSet, QbxmlParseError, text, type QbRequest } from './qbxml-request';
import { buildResponseSet, type QbResponse } from './qbxml-response';
import type { CompanyFile } from './records';
import { locked, refused } from './status';

const HANDLERS: Record<string, RequestHandler> = {
  CustomerAdd: customerAdd,
  CustomerMod: customerMod,
  CustomerQuery: customerQuery,
  ItemServiceAdd: itemServiceAdd,
  ItemNonInventoryAdd: itemNonInventoryAdd,
  ItemQuery: itemQuery(),
  ItemServiceQuery: itemQuery('ItemService'),
  ItemNonInventoryQuery: itemQuery('ItemNonInventory'),
  InvoiceAdd: invoiceAdd,
  InvoiceMod: invoiceMod,
  InvoiceQuery: invoiceQuery,
  ReceivePaymentAdd: receivePaymentAdd,
  ReceivePaymentQuery: receivePaymentQuery,
};

/** What one request got: kept in session transcripts so tests can see exactly what QuickBooks answered. */
export interface RequestOutcome {
  request: string;
  requestID?: string;
  statusCode: number;
}

const listNameOf = (request: string) =>
  request.startsWith('Item') ? 'Item' : request.replace(/(Add|Mod|Query)$/, '');

/** The element a lock message names: the record's name or id from the request. */
function subjectOf(rq: QbRequest): string {
  const body = child(rq.body, rq.name) ?? {};
  return text(body, 'Name') ?? text(body, 'ListID') ?? text(body, 'TxnID') ?? text(body, 'RefNumber') ?? '';
}

/** stale-edit-sequence: a person saves the record in Desktop just before the Mod arrives. */
function editByPerson(ctx: HandlerContext, rq: QbRequest): void {
  const body = child(rq.body, rq.name) ?? {};
  const id = text(body, 'ListID') ?? text(body, 'TxnID') ?? '';
  const { file } = ctx;
  const record = file.names.get(id) ?? file.items.get(id) ?? file.invoices.get(id) ?? file.payments.get(id);
  if (record) touch(file, record, ctx.nowMs);
}

function runOne(ctx: HandlerContext, rq: QbRequest, faults: DesktopFaults): HandlerResult {
  const lock = faults.take('list-locked', [rq.name]);
  if (lock) return { status: locked(lock.code, listNameOf(rq.name), subjectOf(rq)), rets: [] };
  const refusal = faults.take('refused', [rq.name]);
  if (refusal) return { status: refused(refusal.code), rets: [] };
  if (rq.name.endsWith('Mod') && faults.take('stale-edit-sequence', [rq.name])) editByPerson(ctx, rq);
  return HANDLERS[rq.name](ctx, rq);
}

type Snapshot = Pick<CompanyFile, 'names' | 'items' | 'invoices' | 'payments' | 'counters'>;
const snapshot = (file: CompanyFile): Snapshot =>
  structuredClone({
    names: file.names,
    items: file.items,
    invoices: file.invoices,
    payments: file.payments,
    counters: file.counters,
  });

/**
 * Runs a qbXML request message set against the company file, as QuickBooks' request processor does: the
 * whole stream is validated first (anything invalid throws {@link QbxmlParseError} and nothing is applied),
 * then each request in order; after an error `stopOnError` skips the rest, `rollbackOnError` also undoes the
 * requests already applied, `continueOnError` goes on.
 */
export function processRequestSet(
  file: CompanyFile,
  xml: string,
  faults: DesktopFaults,
  nowMs: number,
): { xml: string; outcomes: RequestOutcome[] } {
  const set = parseRequestSet(xml);
  const unknown = set.requests.find((rq) => !HANDLERS[rq.name]);
  if (unknown) throw new QbxmlParseError(`${unknown.name}Rq is not simulated`);
  const before = snapshot(file);
  const ctx: HandlerContext = { file, nowMs };
  const responses: QbResponse[] = [];
  try {
    for (const rq of set.requests) {
      const result = runOne(ctx, rq, faults);
      responses.push({ name: rq.name, requestID: rq.requestID, ...result });
      if (result.status.statusSeverity !== 'Error' || set.onError === 'continueOnError') continue;
      if (set.onError === 'rollbackOnError') Object.assign(file, snapshot(before as CompanyFile));
      break;
    }
  } catch (err) {
    Object.assign(file, before);
    throw err;
  }
  return {
    xml: buildResponseSet(responses),
    outcomes: responses.map((r) => ({
      request: r.name,
      requestID: r.requestID,
      statusCode: r.status.statusCode,
    })),
  };
}
