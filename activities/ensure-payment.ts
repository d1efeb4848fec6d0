import { getMapping } from '../db/queries/mappings';
import type { PaymentDoc } from '../workflows/contract';
import { explain, fixInactive } from './ensure-invoice';
import { asActivity } from './application-failure';
import { converge } from '../sync/converge';
import { hasMarker, isVoided, markerFor } from '../sync/markers';
import { adoptForeignPayment } from '../sync/foreign-payments';
import { prune } from '../sync/prune';
import { driftFromRefusal, guardDrift } from '../sync/drift-guard';
import { type SyncDeps, type EnsureResult } from '../sync/sync-deps';
import { eq } from '../sync/ledger';

export interface EnsurePaymentInput {
  realmId: string;
  syncId: string;
  invoiceSourceId: string;
  payment: PaymentDoc;
  customerQboId: string;
  invoiceQboId: string;
  /** See ConvergeSpec.retries. */
  retries?: number;
}

/**
 * Makes sure the source payment exists in QuickBooks exactly once, applied to the invoice, deposited to
 * the mapped account (else QuickBooks' default, Undeposited Funds). Throws ApplicationFailure.
 */
export function ensurePayment(deps: SyncDeps, input: EnsurePaymentInput): Promise<EnsureResult> {
  const { realmId, syncId, payment, customerQboId, invoiceQboId } = input;
  return asActivity(
    deps,
    { step: 'payments', sourceId: payment.sourceId, sync: { realmId, syncId } },
    async () => {
      const marker = markerFor(payment.sourceId);
      const deposit = await getMapping(deps.db, realmId, 'deposit_account', 'default');
      const fields = prune({
        CustomerRef: { value: customerQboId },
        TotalAmt: payment.amount,
        TxnDate: payment.txnDate,
        PaymentRefNum: payment.reference,
        DepositToAccountRef: deposit ? { value: deposit.qboId } : undefined,
        Line: [{ Amount: payment.amount, LinkedTxn: [{ TxnId: invoiceQboId, TxnType: 'Invoice' }] }],
      });
      const refs = [{ entity: 'Customer' as const, id: customerQboId }];
      const key = { realmId, entityType: 'Payment' as const, sourceId: payment.sourceId };
      await guardDrift(deps, key);
      const foreign = await adoptForeignPayment(deps, { ...input, fields });
      if (foreign) return foreign;
      try {
        return await converge(deps, {
          syncId,
          key,
          fields,
          createOnly: { PrivateNote: marker },
          marker,
          parentSourceId: input.invoiceSourceId,
          retries: input.retries,
          findPending: async () => {
            const rows = await deps.ledger.find(realmId, 'Payment', {
              where: [eq('CustomerRef', customerQboId), eq('TxnDate', payment.txnDate)],
            });
            return rows.find((r) => hasMarker(r.PrivateNote, marker) && !isVoided(r));
          },
          fixAndRetry: (fault) => fixInactive(deps, realmId, syncId, fault, refs),
        });
      } catch (err) {
        throw await explain(deps, realmId, await driftFromRefusal(deps, key, err), refs, payment.txnDate);
      }
    },
  );
}
