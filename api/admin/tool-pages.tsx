import { syncStates } from '../../workflows/contract';
import type { BatchProgress } from '../services/batch-progress';
import type { SyncView } from '../services/read-sync';
import { Badge, Layout } from './layout';

const syncPath = (id: string) => `/admin/syncs/${encodeURIComponent(id)}`;
const companyPath = (realmId: string) => `/admin/companies/${encodeURIComponent(realmId)}`;

/** Why a sync's payments have not reached QuickBooks, in a sentence. */
function paymentReason(sync: SyncView): string {
  const e = sync.lastError;
  if (e?.step === 'payments')
    return `Payment ${e.sourceId ?? ''} was refused: ${e.message}. The invoice is in QuickBooks.`;
  const why = sync.state === 'paused' ? `paused (${sync.pauseReason})` : 'waiting for a fix';
  return `They wait on invoice ${sync.sourceInvoiceId}, which is ${why}${e ? `: ${e.message}` : ''}.`;
}

/** Payments waiting, and why, each with the invoice it waits on. */
export function PaymentsPage(props: { realmId: string; syncs: SyncView[]; csrf: string }) {
  return (
    <Layout title="Payments waiting" csrf={props.csrf}>
      <p class="muted">
        <a href={companyPath(props.realmId)}>Back to the company</a>
      </p>
      <h1>Payments waiting</h1>
      {props.syncs.length === 0 ? <p class="muted">No payment is waiting.</p> : null}
      {props.syncs.map((s) => (
        <div class="card" data-payment-sync={s.syncId}>
          <div class="row">
            <strong>Payments of invoice {s.sourceInvoiceId}</strong>
            <Badge value={s.steps?.payments.status ?? 'pending'} />
            <a href={syncPath(s.syncId!)}>Open the invoice's sync</a>
          </div>
          <p>{paymentReason(s)}</p>
          {(s.steps?.payments.records ?? []).map((r) => (
            <p class="muted">
              Payment {r.sourceId}
              {r.qboId ? ` (QuickBooks ${r.qboId})` : ''}
              {r.error ? `: ${r.error.pattern}` : ''}
            </p>
          ))}
        </div>
      ))}
    </Layout>
  );
}

/** A batch's progress: a bar of settled documents and the count per state; reloads while it runs. */
export function BatchPage(props: { progress: BatchProgress; csrf: string }) {
  const p = props.progress;
  const settled =
    p.rejected + p.counts.completed + p.counts.failed + p.counts.needs_attention + p.counts.paused;
  const percent = p.total ? Math.round((settled / p.total) * 100) : 100;
  return (
    <Layout title="Batch" csrf={props.csrf}>
      {settled < p.total ? <meta http-equiv="refresh" content="2" /> : null}
      <h1>Batch {p.batchId.slice(0, 8)}</h1>
      <div class="card">
        <div
          class="progress"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={p.total}
          aria-valuenow={settled}
          data-settled={settled}
          data-total={p.total}
        >
          <span style={`width:${percent}%`} />
        </div>
        <p>
          <strong data-batch-status>
            {settled === p.total ? 'Finished' : 'Running'}: {settled} of {p.total} settled
          </strong>{' '}
          <span class="muted">({p.done} done)</span>
        </p>
        <div class="row">
          {syncStates
            .filter((s) => p.counts[s])
            .map((s) => (
              <span data-count={s}>
                <Badge value={s} /> {p.counts[s]}
              </span>
            ))}
          {p.rejected ? <span data-count="rejected">rejected {p.rejected}</span> : null}
        </div>
      </div>
    </Layout>
  );
}

/** Search results: the syncs whose source invoice id or document number matches. */
export function SearchPage(props: { q: string; syncIds: string[]; csrf: string }) {
  return (
    <Layout title="Search" csrf={props.csrf}>
      <h1>Search</h1>
      <SearchForm q={props.q} />
      {props.q && props.syncIds.length === 0 ? (
        <p class="muted">No sync with source invoice id or document number {props.q}.</p>
      ) : null}
      <ul>
        {props.syncIds.map((id) => (
          <li>
            <a href={syncPath(id)}>{id}</a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

/** The search box every page can show. */
export function SearchForm(props: { q?: string }) {
  return (
    <form method="get" action="/admin/search" role="search">
      <label for="search-q">Source invoice id or document number</label>
      <input id="search-q" name="q" value={props.q ?? ''} required size={16} />
      <button class="secondary" type="submit">
        Find
      </button>
    </form>
  );
}
