import { desktopDate, desktopTimestamp } from '../desktop-clock';
import { balanceRemaining } from './balances';
import { touch } from './company-file';
import { failed, type HandlerContext, type RequestHandler } from './handler';
import { newTxnId, nextEditSequence } from './ids';
import { child, many, QbxmlParseError, requiredText, text, type Element } from './qbxml-request';
import { parseAmount, parseBool, parseDate, parseQuantity } from './qbxml-values';
import { resolveRef } from './references';
import { cents, type CompanyFile, type InvoiceLine, type InvoiceRecord, type Ref } from './records';
import { closedPeriod, objectNotFound, staleEditSequence, STATUS_OK, type QbStatus } from './status';
import { invoiceRet } from './rets';
import { runTxnQuery } from './txn-query';

const customers = (file: CompanyFile) => [...file.names.values()].filter((n) => n.kind === 'Customer');
const receivables = (file: CompanyFile) =>
  [...file.accounts.values()].filter((a) => a.AccountType === 'AccountsReceivable');

/** True when a date falls in the closed period. */
export const isClosed = (file: CompanyFile, date: string) =>
  file.closingDate !== undefined && date <= file.closingDate;

/** Reads one InvoiceLineAdd/InvoiceLineMod onto `line` (a copy of the stored line, or a new one). */
function readLine(ctx: HandlerContext, element: Element, line: InvoiceLine): QbStatus | undefined {
  const item = resolveRef(element, 'ItemRef', ctx.file.items.values(), 'Item', 'Invoice line');
  if (item.status) return item.status;
  const quantity = parseQuantity(text(element, 'Quantity'), 'Quantity');
  const rate = parseAmount(text(element, 'Rate'), 'Rate');
  const amount = parseAmount(text(element, 'Amount'), 'Amount');
  const desc = text(element, 'Desc');
  if (item.ref) line.ItemRef = item.ref;
  if (desc !== undefined) line.Desc = desc;
  if (quantity !== undefined) line.Quantity = quantity;
  if (rate !== undefined) line.Rate = rate;
  if (item.record && line.Rate === undefined && 'Price' in item.record) line.Rate = item.record.Price;
  if (amount !== undefined) line.Amount = cents(amount);
  else if (quantity !== undefined || rate !== undefined || item.ref)
    line.Amount = cents((line.Quantity ?? 1) * (line.Rate ?? 0));
  return undefined;
}

function readHeader(ctx: HandlerContext, body: Element) {
  const customer = resolveRef(body, 'CustomerRef', customers(ctx.file), 'Customer', 'Invoice');
  const account = resolveRef(body, 'ARAccountRef', receivables(ctx.file), 'Account', 'Invoice');
  return {
    status: customer.status ?? account.status,
    customer: customer.ref,
    account: account.ref,
    txnDate: parseDate(text(body, 'TxnDate'), 'TxnDate'),
    dueDate: parseDate(text(body, 'DueDate'), 'DueDate'),
    refNumber: text(body, 'RefNumber'),
    memo: text(body, 'Memo'),
  };
}

/** Desktop numbers invoices without a RefNumber one past the highest numeric one. */
function nextRefNumber(file: CompanyFile): string {
  const numbers = [...file.invoices.values()].map((i) => Number(i.RefNumber)).filter(Number.isInteger);
  return String(Math.max(0, ...numbers) + 1);
}

/** InvoiceAdd: customer, lines and refs checked, the closing date honoured, then the invoice is saved. */
export const invoiceAdd: RequestHandler = (ctx, rq) => {
  const { file, nowMs } = ctx;
  const body = child(rq.body, 'InvoiceAdd') ?? {};
  if (!child(body, 'CustomerRef')) throw new QbxmlParseError('InvoiceAdd needs CustomerRef');
  if (body.InvoiceLineGroupAdd !== undefined)
    throw new QbxmlParseError('InvoiceLineGroupAdd is not simulated');
  parseBool(text(body, 'IsPending'), 'IsPending');
  const header = readHeader(ctx, body);
  if (header.status) return failed(header.status);
  const lines: InvoiceLine[] = [];
  for (const element of many(body.InvoiceLineAdd)) {
    if (typeof element === 'string') throw new QbxmlParseError('InvoiceLineAdd must be an element');
    const line: InvoiceLine = { TxnLineID: '', Amount: 0 };
    const status = readLine(ctx, element, line);
    if (status) return failed(status);
    lines.push(line);
  }
  const txnDate = header.txnDate ?? desktopDate(nowMs);
  if (isClosed(file, txnDate)) return failed(closedPeriod('Invoice', file.closingDate!));
  for (const line of lines) line.TxnLineID = newTxnId(file, nowMs);
  const at = desktopTimestamp(nowMs);
  const defaultAr = receivables(file)[0];
  const invoice: InvoiceRecord = {
    kind: 'Invoice',
    TxnID: newTxnId(file, nowMs),
    TimeCreated: at,
    TimeModified: at,
    EditSequence: nextEditSequence(file, nowMs),
    TxnNumber: ++file.counters.txnNumber,
    CustomerRef: header.customer as Ref,
    ARAccountRef: header.account ?? { ListID: defaultAr.ListID, FullName: defaultAr.Name },
    TxnDate: txnDate,
    RefNumber: header.refNumber ?? nextRefNumber(file),
    DueDate: header.dueDate ?? txnDate,
    Memo: header.memo,
    lines,
  };
  file.invoices.set(invoice.TxnID, invoice);
  return { status: STATUS_OK, rets: [{ tag: 'InvoiceRet', value: invoiceRet(file, invoice) }] };
};

/**
 * InvoiceMod: TxnID + current EditSequence. As soon as one InvoiceLineMod is sent the lines sent replace the
 * stored ones: `TxnLineID` -1 adds a line, a stored TxnLineID keeps (and updates) that line, any line not sent
 * is deleted. Dated, or moved, into the closed period → refused.
 */
export const invoiceMod: RequestHandler = (ctx, rq) => {
  const { file, nowMs } = ctx;
  const body = child(rq.body, 'InvoiceMod') ?? {};
  const txnId = requiredText(body, 'TxnID', 'InvoiceMod');
  const editSequence = requiredText(body, 'EditSequence', 'InvoiceMod');
  const lineMods = many(body.InvoiceLineMod);
  const invoice = file.invoices.get(txnId);
  if (!invoice) return failed(objectNotFound(txnId));
  if (invoice.EditSequence !== editSequence) return failed(staleEditSequence(editSequence));
  const header = readHeader(ctx, body);
  if (header.status) return failed(header.status);
  let lines = invoice.lines;
  if (lineMods.length > 0) {
    lines = [];
    for (const element of lineMods) {
      if (typeof element === 'string') throw new QbxmlParseError('InvoiceLineMod must be an element');
      const lineId = requiredText(element, 'TxnLineID', 'InvoiceLineMod');
      const stored = invoice.lines.find((l) => l.TxnLineID === lineId);
      if (lineId !== '-1' && !stored) return failed(objectNotFound(lineId));
      const line: InvoiceLine = stored ? { ...stored } : { TxnLineID: '-1', Amount: 0 };
      const status = readLine(ctx, element, line);
      if (status) return failed(status);
      lines.push(line);
    }
  }
  const txnDate = header.txnDate ?? invoice.TxnDate;
  if (isClosed(file, invoice.TxnDate) || isClosed(file, txnDate))
    return failed(closedPeriod('Invoice', file.closingDate!));
  for (const line of lines) if (line.TxnLineID === '-1') line.TxnLineID = newTxnId(file, nowMs);
  invoice.lines = lines;
  invoice.TxnDate = txnDate;
  if (header.customer) invoice.CustomerRef = header.customer;
  if (header.account) invoice.ARAccountRef = header.account;
  if (header.refNumber !== undefined) invoice.RefNumber = header.refNumber;
  if (header.dueDate !== undefined) invoice.DueDate = header.dueDate;
  if (header.memo !== undefined) invoice.Memo = header.memo;
  touch(file, invoice, nowMs);
  return { status: STATUS_OK, rets: [{ tag: 'InvoiceRet', value: invoiceRet(file, invoice) }] };
};

/** InvoiceQuery; lines only with `IncludeLineItems` true, as Desktop does. */
export const invoiceQuery: RequestHandler = ({ file }, rq) => {
  const withLines = parseBool(text(rq.body, 'IncludeLineItems'), 'IncludeLineItems') ?? false;
  return runTxnQuery(
    rq.body,
    [...file.invoices.values()],
    (i) => ({ tag: 'InvoiceRet', value: invoiceRet(file, i, withLines) }),
    (i) => balanceRemaining(file, i) <= 0,
  );
};
