import type { ReconciliationAction } from '../../db/queries/reconciliation-actions';
import type { CustomerBalance, Mismatch } from '../../sync/reconciliation';
import { Badge, Layout, PostForm } from './layout';

const base = (realmId: string) => `/admin/companies/${encodeURIComponent(realmId)}`;
const money = (cents: number) => (cents / 100).toFixed(2);

export interface ReconciliationView {
  id: number;
  finishedAt: Date;
  qboCalls: number;
  totals: {
    customers: number;
    customersMismatched: number;
    invoices: number;
    payments: number;
    quickbooksCents: number;
    sourceCents: number;
    differenceCents: number;
    unexplainedCents: number;
    byKind: Record<string, number>;
  };
  customers: CustomerBalance[];
  mismatches: Mismatch[];
}

/** A company's latest reconciliation: totals, customers that differ, each mismatch with its buttons. */
export function ReconciliationPage(props: {
  realmId: string;
  result: ReconciliationView | null;
  actions: ReconciliationAction[];
  csrf: string;
  notice?: string;
}) {
  const { realmId, result, csrf } = props;
  const done = new Map(props.actions.map((a) => [a.idempotencyKey, a]));
  return (
    <Layout title={`Reconciliation ${realmId}`} csrf={csrf}>
      <p class="muted">
        <a href={base(realmId)}>Back to the company</a>
      </p>
      <h1>Balances: QuickBooks against the source app</h1>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <PostForm action={`${base(realmId)}/reconciliation/run`} csrf={csrf}>
        <button type="submit">Reconcile now</button>
      </PostForm>
      <form method="get" action={`${base(realmId)}/payments`}>
        <input name="sourceId" placeholder="source payment id" aria-label="source payment id" required />
        <button class="secondary" type="submit">
          Payment view
        </button>
      </form>
      {result ? (
        <Result realmId={realmId} result={result} done={done} csrf={csrf} />
      ) : (
        <p>Not reconciled yet.</p>
      )}
    </Layout>
  );
}

function Result(props: {
  realmId: string;
  result: ReconciliationView;
  done: Map<string, ReconciliationAction>;
  csrf: string;
}) {
  const { realmId, result, csrf } = props;
  const t = result.totals;
  return (
    <>
      <div class="card">
        <div class="row">
          <span>Run {result.id}</span>
          <span class="muted">{new Date(result.finishedAt).toISOString()}</span>
          <span class="muted">{result.qboCalls} QuickBooks calls</span>
        </div>
        <div class="row">
          <span>QuickBooks {money(t.quickbooksCents)}</span>
          <span>Source {money(t.sourceCents)}</span>
          <strong>Difference {money(t.differenceCents)}</strong>
          <span>Unexplained {money(t.unexplainedCents)}</span>
        </div>
        <div class="row muted">
          <span>
            {t.customers} customers ({t.customersMismatched} differ), {t.invoices} invoices, {t.payments}{' '}
            payments
          </span>
          {Object.entries(t.byKind)
            .filter(([, n]) => n > 0)
            .map(([k, n]) => (
              <span>
                <Badge value={k} /> {n}
              </span>
            ))}
        </div>
      </div>
      {result.customers.length ? (
        <>
          <h2>Customers whose balances differ</h2>
          <table>
            <thead>
              <tr>
                <th>Customer</th>
                <th>QuickBooks</th>
                <th>Source</th>
                <th>Declared</th>
                <th>Difference</th>
              </tr>
            </thead>
            <tbody>
              {result.customers.map((c) => (
                <tr>
                  <td data-label="Customer">
                    {c.name ?? c.sourceId}{' '}
                    <span class="muted">
                      ({c.sourceId}, QuickBooks {c.qboId})
                    </span>
                  </td>
                  <td data-label="QuickBooks">{money(c.quickbooksCents)}</td>
                  <td data-label="Source">{money(c.sourceCents)}</td>
                  <td data-label="Declared">
                    {c.declaredCents === undefined ? '—' : money(c.declaredCents)}
                  </td>
                  <td data-label="Difference">{money(c.differenceCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <h2>Mismatches ({result.mismatches.length})</h2>
      {result.mismatches.length === 0 ? <p>QuickBooks agrees with the source app.</p> : null}
      {result.mismatches.map((m) => (
        <MismatchCard realmId={realmId} reconciliationId={result.id} m={m} done={props.done} csrf={csrf} />
      ))}
    </>
  );
}

function MismatchCard(props: {
  realmId: string;
  reconciliationId: number;
  m: Mismatch;
  done: Map<string, ReconciliationAction>;
  csrf: string;
}) {
  const { realmId, m, csrf } = props;
  const taken = (kind: string, qboId?: string) =>
    kind === 'void_duplicate' || kind === 'link'
      ? props.done.get(`${kind === 'link' ? 'link' : 'void'}:${realmId}:${m.entity}:${qboId}`)
      : props.done.get(`resync:${realmId}:${props.reconciliationId}:${m.id}`);
  return (
    <div class="card">
      <div class="row">
        <Badge value={m.kind} />
        {m.reason ? <span class="muted">{m.reason.replace(/_/g, ' ')}</span> : null}
        <span>
          {m.entity} {m.qboId ? `QuickBooks ${m.qboId}` : ''} {m.sourceId ? `source ${m.sourceId}` : ''}
        </span>
        <span>{money(m.amountCents)}</span>
        {m.entity === 'Payment' && m.sourceId ? (
          <a href={`${base(realmId)}/payments/${encodeURIComponent(m.sourceId)}`}>Payment view</a>
        ) : null}
      </div>
      <p>{m.explanation}</p>
      <p class="hint">{m.fix}</p>
      {m.syncId ? <p class="muted">Sync {m.syncId}</p> : null}
      {m.actions.map((a) => {
        const already = taken(a.kind, a.target.qboId);
        return already ? (
          <span class="muted">
            {a.label}: <Badge value={already.status} />{' '}
          </span>
        ) : (
          <PostForm action={`${base(realmId)}/reconciliation/actions`} csrf={csrf}>
            <input type="hidden" name="mismatchId" value={m.id} />
            <input type="hidden" name="action" value={a.kind} />
            <input type="hidden" name="reconciliationId" value={String(props.reconciliationId)} />
            <button type="submit" class={a.kind === 'void_duplicate' ? '' : 'secondary'}>
              {a.label}
            </button>
          </PostForm>
        );
      })}
    </div>
  );
}

/** One source payment: what the source sent, our link, the QuickBooks record, what reconciliation says. */
export function PaymentPage(props: { realmId: string; view: Record<string, any>; csrf: string }) {
  const { realmId, view } = props;
  return (
    <Layout title={`Payment ${view.paymentSourceId}`} csrf={props.csrf}>
      <p class="muted">
        <a href={`${base(realmId)}/reconciliation`}>Back to the reconciliation</a>
      </p>
      <h1>Payment {view.paymentSourceId}</h1>
      <h2>Source app</h2>
      <div class="card qbo">
        {view.source ? JSON.stringify(view.source, null, 2) : 'No stored document has it.'}
      </div>
      <h2>Link</h2>
      <div class="card">
        {view.link ? (
          <div class="row">
            <Badge value={view.link.status} /> <span>QuickBooks {view.link.qboId ?? '—'}</span>
            <span class="muted">linked by {view.link.linkedBy}</span>
          </div>
        ) : (
          'Never linked.'
        )}
        {view.syncId ? <p class="muted">Sync {view.syncId}</p> : null}
      </div>
      <h2>QuickBooks</h2>
      <div class="card qbo">
        {view.quickbooks ? JSON.stringify(view.quickbooks, null, 2) : 'No QuickBooks record.'}
      </div>
      <h2>Reconciliation</h2>
      {view.mismatches.length === 0 ? <p>No mismatch names this payment.</p> : null}
      {view.mismatches.map((m: Mismatch) => (
        <div class="card">
          <Badge value={m.kind} /> <p>{m.explanation}</p>
          <p class="hint">{m.fix}</p>
        </div>
      ))}
    </Layout>
  );
}
