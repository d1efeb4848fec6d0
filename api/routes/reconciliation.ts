import { createRoute, z } from '@hono/zod-openapi';
import { getLink } from '../../db/queries/links';
import { claimAction, createAnywayKey, listActions } from '../../db/queries/reconciliation-actions';
import { getReconciliation } from '../../db/queries/reconciliations';
import { putSourceBalances } from '../../db/queries/source-balances';
import { findDocumentWithPayment } from '../../db/queries/source-documents';
import type { CustomerBalance, Mismatch } from '../../sync/reconciliation';
import { syncWorkflowId } from '../../workflows/contract';
import { requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { ApiError } from '../errors';
import { createRouter } from '../router';
import { errorResponses, realmIdParam } from '../schemas/common';
import { takeAction, wakeSync } from '../services/reconciliation-actions';
import { startReconciliation } from '../services/start-reconciliation';
import { readSync } from '../services/read-sync';

/** Most balances one PUT may carry; a larger set is sent in several requests. */
export const MAX_BALANCES = 1000;
const security = [{ apiKey: [] }];
const json = (description: string) => ({
  description,
  content: { 'application/json': { schema: z.any() } },
});
const sourceIdParam = realmIdParam.extend({
  paymentSourceId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'paymentSourceId', in: 'path' } }),
});
const balancesSchema = z
  .array(
    z.strictObject({
      customerSourceId: z.string().min(1).max(100),
      balance: z
        .number()
        .finite()
        .refine(
          (n) => Math.abs(n) < 1e12 && Math.round(n * 100) === n * 100,
          'must be money: at most 2 decimals',
        ),
      asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD'),
    }),
  )
  .min(1, 'send at least one balance')
  .max(MAX_BALANCES, `send at most ${MAX_BALANCES} balances per request`)
  .openapi('DeclaredBalances');
const actionSchema = z.strictObject({
  mismatchId: z.string().min(1).max(300),
  action: z.enum(['void_duplicate', 'resync', 'link']),
  reconciliationId: z.number().int().positive().optional(),
});

/** The latest (or a given) stored result of a company, or 404. */
export async function latestResult(deps: ApiDeps, realmId: string, id?: number) {
  const row = await getReconciliation(deps.db, realmId, id);
  if (!row) throw new ApiError(404, 'no_reconciliation', `Company ${realmId} has not been reconciled yet.`);
  const stored = row.mismatches as { customers: CustomerBalance[]; list: Mismatch[] };
  return { ...row, customers: stored.customers, mismatches: stored.list };
}

/**
 * `/v1/companies/{realmId}/…`: declared balances (source key), and reconciliation results, runs and
 * actions, the payment view and "create this payment anyway" (admin key).
 */
export function createReconciliationRoutes(deps: ApiDeps) {
  const router = createRouter();
  router.use('/:realmId/balances', requireRole('source', deps.config));
  router.use('/:realmId/reconciliation', requireRole('admin', deps.config));
  router.use('/:realmId/reconciliation/*', requireRole('admin', deps.config));
  router.use('/:realmId/payments/*', requireRole('admin', deps.config));

  router.openapi(
    createRoute({
      method: 'put',
      path: '/{realmId}/balances',
      summary: `What the source app says each customer owes (at most ${MAX_BALANCES} per request), compared at the next reconciliation`,
      security,
      request: {
        params: realmIdParam,
        body: { required: true, content: { 'application/json': { schema: balancesSchema } } },
      },
      responses: { 200: json('Stored'), ...errorResponses },
    }),
    async (c) => {
      const { realmId } = c.req.valid('param');
      const rows = c.req.valid('json');
      const seen = new Set<string>();
      const dupes = rows.flatMap((r, i) =>
        seen.has(r.customerSourceId)
          ? [{ path: `${i}.customerSourceId`, reason: 'appears twice' }]
          : (seen.add(r.customerSourceId), []),
      );
      if (dupes.length) throw new ApiError(422, 'validation_failed', 'A customer appears twice.', dupes);
      await putSourceBalances(deps.db, realmId, rows);
      return c.json({ realmId, stored: rows.length }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{realmId}/reconciliation',
      summary: 'The latest reconciliation: totals, customers whose balances differ, explained mismatches',
      security,
      request: { params: realmIdParam },
      responses: { 200: json('The latest result'), ...errorResponses },
    }),
    async (c) => {
      const { realmId } = c.req.valid('param');
      const result = await latestResult(deps, realmId);
      // The state of each waiting sync a mismatch names (bounded: one describe each).
      const states = new Map<string, string>();
      for (const m of result.mismatches.filter((m) => m.syncId).slice(0, 50)) {
        if (!states.has(m.syncId!))
          states.set(m.syncId!, (await readSync(deps.temporal, m.syncId!))?.state ?? 'not_started');
      }
      const actions = await listActions(deps.db, realmId);
      return c.json(
        {
          ...result,
          mismatches: result.mismatches.map((m) => ({
            ...m,
            ...(m.syncId && states.has(m.syncId) ? { syncState: states.get(m.syncId) } : {}),
          })),
          actions,
        },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/{realmId}/reconciliation',
      summary: 'Reconcile the company now (the result replaces the latest when it is done)',
      security,
      request: { params: realmIdParam },
      responses: { 202: json('Started'), ...errorResponses },
    }),
    async (c) => {
      const { realmId } = c.req.valid('param');
      const workflowId = await startReconciliation(deps, realmId);
      return c.json({ realmId, workflowId, statusUrl: `/v1/companies/${realmId}/reconciliation` }, 202);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/{realmId}/reconciliation/actions',
      summary: 'Act on a mismatch (void a duplicate qbo-sync created, re-sync, link): each happens once',
      security,
      request: {
        params: realmIdParam,
        body: { required: true, content: { 'application/json': { schema: actionSchema } } },
      },
      responses: { 200: json('Already done'), 202: json('Accepted'), ...errorResponses },
    }),
    async (c) => {
      const { realmId } = c.req.valid('param');
      const body = c.req.valid('json');
      const result = await latestResult(deps, realmId, body.reconciliationId);
      const mismatch = result.mismatches.find((m) => m.id === body.mismatchId);
      if (!mismatch)
        throw new ApiError(
          404,
          'mismatch_not_found',
          `Reconciliation ${result.id} has no mismatch ${body.mismatchId}.`,
        );
      const action = mismatch.actions.find((a) => a.kind === body.action);
      if (!action)
        throw new ApiError(
          409,
          'action_not_offered',
          `Mismatch ${mismatch.id} (${mismatch.kind}) does not offer ${body.action}.`,
        );
      const taken = await takeAction(deps, realmId, result.id, mismatch, action);
      deps.logger.info({ realmId, mismatchId: mismatch.id, action: body.action }, 'reconciliation action');
      return c.json(taken, taken.repeated ? 200 : 202);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/{realmId}/payments/{paymentSourceId}/create-anyway',
      summary: 'A payment that looked already recorded by someone else is a different one: create ours',
      security,
      request: { params: sourceIdParam },
      responses: { 202: json('Recorded; the sync retries'), ...errorResponses },
    }),
    async (c) => {
      const { realmId, paymentSourceId } = c.req.valid('param');
      const doc = await findDocumentWithPayment(deps.db, realmId, paymentSourceId);
      if (!doc)
        throw new ApiError(
          404,
          'payment_not_found',
          `No document of company ${realmId} has payment ${paymentSourceId}.`,
        );
      const { action, created } = await claimAction(deps.db, {
        idempotencyKey: createAnywayKey(realmId, paymentSourceId),
        realmId,
        kind: 'create_payment_anyway',
        target: { paymentSourceId, invoiceSourceId: doc.invoice.sourceId },
      });
      const sync = await wakeSync(deps, realmId, doc.invoice.sourceId);
      return c.json(
        { action, repeated: !created, syncId: syncWorkflowId(realmId, doc.invoice.sourceId), sync },
        202,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{realmId}/payments/{paymentSourceId}',
      summary:
        'One source payment: the document, its link, its QuickBooks record and what reconciliation says',
      security,
      request: { params: sourceIdParam },
      responses: { 200: json('The payment view'), ...errorResponses },
    }),
    async (c) => {
      const { realmId, paymentSourceId } = c.req.valid('param');
      return c.json(await paymentView(deps, realmId, paymentSourceId), 200);
    },
  );
  return router;
}

/** Everything qbo-sync knows about one source payment (the payment diagnostic). Throws ApiError 404. */
export async function paymentView(deps: ApiDeps, realmId: string, paymentSourceId: string) {
  const doc = await findDocumentWithPayment(deps.db, realmId, paymentSourceId);
  const link = await getLink(deps.db, { realmId, entityType: 'Payment', sourceId: paymentSourceId });
  if (!doc && !link)
    throw new ApiError(404, 'payment_not_found', `qbo-sync knows no payment ${paymentSourceId}.`);
  const payment = doc?.payments.find((p) => p.sourceId === paymentSourceId);
  const quickbooks = link?.qboId
    ? await deps.qbo.read(realmId, 'Payment', link.qboId).catch(() => null)
    : null;
  const latest = await getReconciliation(deps.db, realmId);
  const mismatches = ((latest?.mismatches as { list?: Mismatch[] } | undefined)?.list ?? []).filter(
    (m) =>
      m.sourceId === paymentSourceId || (link?.qboId && m.entity === 'Payment' && m.qboId === link.qboId),
  );
  return {
    realmId,
    paymentSourceId,
    source: payment
      ? { ...payment, invoiceSourceId: doc!.invoice.sourceId, customerSourceId: doc!.customer.sourceId }
      : null,
    syncId: doc ? syncWorkflowId(realmId, doc.invoice.sourceId) : null,
    link: link
      ? { status: link.status, qboId: link.qboId, linkedBy: link.linkedBy, updatedAt: link.updatedAt }
      : null,
    quickbooks: quickbooks
      ? {
          id: quickbooks.Id,
          totalAmt: quickbooks.TotalAmt,
          txnDate: quickbooks.TxnDate,
          unappliedAmt: quickbooks.UnappliedAmt,
          paymentRefNum: quickbooks.PaymentRefNum,
          privateNote: quickbooks.PrivateNote,
          appliedTo: ((quickbooks.Line ?? []) as { LinkedTxn?: { TxnId: string }[] }[]).flatMap((l) =>
            (l.LinkedTxn ?? []).map((t) => t.TxnId),
          ),
        }
      : null,
    reconciliationId: latest?.id ?? null,
    mismatches,
  };
}
