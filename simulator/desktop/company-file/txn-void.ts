import { touch } from './company-file';
import { failed, type RequestHandler } from './handler';
import { isClosed } from './invoices';
import { QbxmlParseError, requiredText } from './qbxml-request';
import { closedPeriod, objectNotFound, STATUS_OK } from './status';

/**
 * TxnVoid of an Invoice or ReceivePayment: the record stays, its amounts become zero and "VOID: " leads its
 * memo; payments applied to a voided invoice (or a voided payment's applications) are released.
 */
export const txnVoid: RequestHandler = ({ file, nowMs }, rq) => {
  const type = requiredText(rq.body, 'TxnVoidType', 'TxnVoid');
  const txnId = requiredText(rq.body, 'TxnID', 'TxnVoid');
  if (type !== 'Invoice' && type !== 'ReceivePayment')
    throw new QbxmlParseError(`TxnVoidType ${type} is not simulated`);
  const record = type === 'Invoice' ? file.invoices.get(txnId) : file.payments.get(txnId);
  if (!record) return failed(objectNotFound(txnId));
  if (isClosed(file, record.TxnDate)) return failed(closedPeriod(type, file.closingDate!));
  if (record.kind === 'Invoice') {
    record.lines = record.lines.map((line) => ({ ...line, Quantity: 0, Amount: 0 }));
    for (const payment of file.payments.values())
      payment.applied = payment.applied.filter((a) => a.TxnID !== txnId);
  } else {
    record.TotalAmount = 0;
    record.applied = [];
  }
  if (!record.Memo?.startsWith('VOID:')) record.Memo = `VOID: ${record.Memo ?? ''}`.trimEnd();
  touch(file, record, nowMs);
  return {
    status: STATUS_OK,
    rets: [
      { tag: 'TxnVoidType', value: type },
      { tag: 'TxnID', value: txnId },
    ],
  };
};
