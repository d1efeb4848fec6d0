import { desktopDate, desktopTimestamp } from '../desktop-clock';
import { balanceRemaining } from './balances';
import { touch } from './company-file';
import { failed, type RequestHandler } from './handler';
import { newTxnId, nextEditSequence } from './ids';
import { isClosed } from './invoices';
import { child, many, QbxmlParseError, requiredText, text, type Element } from './qbxml-request';
import { parseAmount, parseBool, parseDate } from './qbxml-values';
import { resolveRef } from './references';
import {
  cents,
  money,
  type CompanyFile,
  type PaymentApplication,
  type PaymentRecord,
  type Ref,
} from './records';
import {
  closedPeriod,
  invalidValue,
  objectNotFound,
  staleEditSequence,
  STATUS_OK,
  type QbStatus,
} from './status';
import { paymentRet } from './rets';
import { runTxnQuery } from './txn-query';

/**
 * ReceivePaymentAdd: `IsAutoApply` or `AppliedToTxnAdd{TxnID, PaymentAmount}` (both is a schema violation).
 * Each applied invoice must be one of this customer's (3120 otherwise) and may not be overpaid (3210 "You
 * cannot pay more than the amount due."); TotalAmount defaults to the sum applied.
 */
export const receivePaymentAdd: RequestHandler = ({ file, nowMs }, rq) => {
  const body = child(rq.body, 'ReceivePaymentAdd') ?? {};
  if (!child(body, 'CustomerRef')) throw new QbxmlParseError('ReceivePaymentAdd needs CustomerRef');
  const autoApply = parseBool(text(body, 'IsAutoApply'), 'IsAutoApply');
  const applications = many(body.AppliedToTxnAdd);
  if (autoApply !== undefined && applications.length > 0)
    throw new QbxmlParseError('IsAutoApply and AppliedToTxnAdd are alternatives');
  const customers = [...file.names.values()].filter((n) => n.kind === 'Customer');
  const customer = resolveRef(body, 'CustomerRef', customers, 'Customer', 'ReceivePayment');
  const receivables = [...file.accounts.values()].filter((a) => a.AccountType === 'AccountsReceivable');
  const ar = resolveRef(body, 'ARAccountRef', receivables, 'Account', 'ReceivePayment');
  const deposit = resolveRef(
    body,
    'DepositToAccountRef',
    file.accounts.values(),
    'Account',
    'ReceivePayment',
  );
  const method = resolveRef(
    body,
    'PaymentMethodRef',
    file.paymentMethods.values(),
    'PaymentMethod',
    'ReceivePayment',
  );
  const refused = customer.status ?? ar.status ?? deposit.status ?? method.status;
  if (refused) return failed(refused);
  const customerRef = customer.ref as Ref;
  const txnDate = parseDate(text(body, 'TxnDate'), 'TxnDate') ?? desktopDate(nowMs);
  const total = parseAmount(text(body, 'TotalAmount'), 'TotalAmount');

  const read = readApplications(file, applications, 'AppliedToTxnAdd', customerRef);
  if ('status' in read) return failed(read.status);
  const applied = read.applied;
  const appliedSum = cents(applied.reduce((sum, a) => sum + a.Amount, 0));
  const totalAmount = total ?? appliedSum;
  if (appliedSum > totalAmount)
    return failed(
      invalidValue(
        'TotalAmount',
        money(totalAmount),
        'The amount applied to transactions is greater than the payment amount.',
      ),
    );
  if (autoApply) {
    let left = totalAmount;
    const open = [...file.invoices.values()]
      .filter((i) => i.CustomerRef.ListID === customerRef.ListID && balanceRemaining(file, i) > 0)
      .sort((a, b) => a.TxnDate.localeCompare(b.TxnDate) || a.TxnNumber - b.TxnNumber);
    for (const invoice of open) {
      if (left <= 0) break;
      const amount = cents(Math.min(left, balanceRemaining(file, invoice)));
      applied.push({ TxnID: invoice.TxnID, Amount: amount });
      left = cents(left - amount);
    }
  }
  if (isClosed(file, txnDate)) return failed(closedPeriod('ReceivePayment', file.closingDate!));
  const at = desktopTimestamp(nowMs);
  const undeposited = [...file.accounts.values()].find((a) => a.Name === 'Undeposited Funds')!;
  const payment: PaymentRecord = {
    kind: 'ReceivePayment',
    TxnID: newTxnId(file, nowMs),
    TimeCreated: at,
    TimeModified: at,
    EditSequence: nextEditSequence(file, nowMs),
    TxnNumber: ++file.counters.txnNumber,
    CustomerRef: customerRef,
    ARAccountRef: ar.ref ?? { ListID: receivables[0].ListID, FullName: receivables[0].Name },
    TxnDate: txnDate,
    RefNumber: text(body, 'RefNumber'),
    TotalAmount: totalAmount,
    PaymentMethodRef: method.ref,
    Memo: text(body, 'Memo'),
    DepositToAccountRef: deposit.ref ?? { ListID: undeposited.ListID, FullName: undeposited.Name },
    applied,
  };
  file.payments.set(payment.TxnID, payment);
  return { status: STATUS_OK, rets: [{ tag: 'ReceivePaymentRet', value: paymentRet(file, payment) }] };
};

export const receivePaymentQuery: RequestHandler = ({ file }, rq) =>
  runTxnQuery(rq.body, [...file.payments.values()], (p) => ({
    tag: 'ReceivePaymentRet',
    value: paymentRet(file, p),
  }));

/**
 * Reads AppliedToTxnAdd/AppliedToTxnMod elements: each invoice must be this customer's (3120 otherwise) and
 * may not be paid past its balance (3210); `payment` is the one being modified, whose own share is free again.
 */
function readApplications(
  file: CompanyFile,
  elements: (string | Element)[],
  elementName: string,
  customerRef: Ref,
  payment?: PaymentRecord,
): { applied: PaymentApplication[] } | { status: QbStatus } {
  const applied: PaymentApplication[] = [];
  for (const element of elements) {
    if (typeof element === 'string') throw new QbxmlParseError(`${elementName} must be an element`);
    const txnId = requiredText(element, 'TxnID', elementName);
    const amount = cents(parseAmount(text(element, 'PaymentAmount'), 'PaymentAmount') ?? 0);
    const invoice = file.invoices.get(txnId);
    if (!invoice || invoice.CustomerRef.ListID !== customerRef.ListID)
      return { status: objectNotFound(txnId) };
    const ownShare = payment?.applied.find((a) => a.TxnID === txnId)?.Amount ?? 0;
    if (amount > cents(balanceRemaining(file, invoice) + ownShare))
      return {
        status: invalidValue(
          `${elementName} payment amount`,
          money(amount),
          'You cannot pay more than the amount due.',
        ),
      };
    applied.push({ TxnID: txnId, Amount: amount });
  }
  return { applied };
}

/**
 * ReceivePaymentMod: TxnID + EditSequence; `AppliedToTxnMod` elements, when sent, replace the applications.
 * A payment dated (or moved) into the closed period is refused.
 */
export const receivePaymentMod: RequestHandler = ({ file, nowMs }, rq) => {
  const body = child(rq.body, 'ReceivePaymentMod') ?? {};
  const txnId = requiredText(body, 'TxnID', 'ReceivePaymentMod');
  const editSequence = requiredText(body, 'EditSequence', 'ReceivePaymentMod');
  const txnDate = parseDate(text(body, 'TxnDate'), 'TxnDate');
  const total = parseAmount(text(body, 'TotalAmount'), 'TotalAmount');
  const payment = file.payments.get(txnId);
  if (!payment) return failed(objectNotFound(txnId));
  if (payment.EditSequence !== editSequence) return failed(staleEditSequence(editSequence));
  const customers = [...file.names.values()].filter((n) => n.kind === 'Customer');
  const customer = resolveRef(body, 'CustomerRef', customers, 'Customer', 'ReceivePayment');
  const deposit = resolveRef(
    body,
    'DepositToAccountRef',
    file.accounts.values(),
    'Account',
    'ReceivePayment',
  );
  const refused = customer.status ?? deposit.status;
  if (refused) return failed(refused);
  const customerRef = customer.ref ?? payment.CustomerRef;
  const mods = many(body.AppliedToTxnMod);
  const read =
    mods.length > 0 || customer.ref
      ? readApplications(file, mods, 'AppliedToTxnMod', customerRef, payment)
      : { applied: payment.applied };
  if ('status' in read) return failed(read.status);
  const totalAmount = total ?? payment.TotalAmount;
  const appliedSum = cents(read.applied.reduce((sum, a) => sum + a.Amount, 0));
  if (appliedSum > totalAmount)
    return failed(
      invalidValue(
        'TotalAmount',
        money(totalAmount),
        'The amount applied to transactions is greater than the payment amount.',
      ),
    );
  if (isClosed(file, payment.TxnDate) || isClosed(file, txnDate ?? payment.TxnDate))
    return failed(closedPeriod('ReceivePayment', file.closingDate!));
  payment.CustomerRef = customerRef;
  payment.applied = read.applied;
  payment.TotalAmount = totalAmount;
  if (txnDate !== undefined) payment.TxnDate = txnDate;
  const refNumber = text(body, 'RefNumber');
  const memo = text(body, 'Memo');
  if (refNumber !== undefined) payment.RefNumber = refNumber;
  if (memo !== undefined) payment.Memo = memo;
  if (deposit.ref) payment.DepositToAccountRef = deposit.ref;
  touch(file, payment, nowMs);
  return { status: STATUS_OK, rets: [{ tag: 'ReceivePaymentRet', value: paymentRet(file, payment) }] };
};
