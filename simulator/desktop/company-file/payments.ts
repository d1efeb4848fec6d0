import { desktopDate, desktopTimestamp } from '../desktop-clock';
import { balanceRemaining } from './balances';
import { failed, type RequestHandler } from './handler';
import { newTxnId, nextEditSequence } from './ids';
import { isClosed } from './invoices';
import { child, many, QbxmlParseError, requiredText, text } from './qbxml-request';
import { parseAmount, parseBool, parseDate } from './qbxml-values';
import { resolveRef } from './references';
import { cents, money, type PaymentApplication, type PaymentRecord, type Ref } from './records';
import { closedPeriod, invalidValue, objectNotFound, STATUS_OK } from './status';
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

  const applied: PaymentApplication[] = [];
  for (const element of applications) {
    if (typeof element === 'string') throw new QbxmlParseError('AppliedToTxnAdd must be an element');
    const txnId = requiredText(element, 'TxnID', 'AppliedToTxnAdd');
    const amount = cents(parseAmount(text(element, 'PaymentAmount'), 'PaymentAmount') ?? 0);
    const invoice = file.invoices.get(txnId);
    if (!invoice || invoice.CustomerRef.ListID !== customerRef.ListID) return failed(objectNotFound(txnId));
    if (amount > balanceRemaining(file, invoice))
      return failed(
        invalidValue(
          'AppliedToTxnAdd payment amount',
          money(amount),
          'You cannot pay more than the amount due.',
        ),
      );
    applied.push({ TxnID: txnId, Amount: amount });
  }
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
