import { steps, type DecisionRecord, type Step, type SyncError } from '../../workflows/contract';
import type { SyncView } from '../services/read-sync';
import { Badge, Layout, PostForm } from './layout';

const syncAction = (syncId: string, action: string) => `/admin/syncs/${encodeURIComponent(syncId)}/${action}`;
const companyPath = (realmId: string) => `/admin/companies/${encodeURIComponent(realmId)}`;

/** Where a QuickBooks record opens in the QuickBooks web app (QBO_APP_URL). */
export function qboAppUrl(appUrl: string, step: Step, qboId: string): string {
  const id = encodeURIComponent(qboId);
  const paths: Record<Step, string> = {
    customer: `/app/customerdetail?nameId=${id}`,
    items: `/app/items?itemId=${id}`,
    invoice: `/app/invoice?txnId=${id}`,
    payments: `/app/recvpayment?txnId=${id}`,
  };
  return `${appUrl.replace(/\/$/, '')}${paths[step]}`;
}

/** What QuickBooks said, with the hint and the Intuit transaction id support asks for. */
export function ErrorBox(props: { error: SyncError }) {
  const e = props.error;
  return (
    <div data-error-pattern={e.pattern}>
      <p class="muted">
        <Badge value={e.pattern} /> on {e.step ?? 'a step'} record {e.sourceId ?? '?'}
        {e.code ? ` · QuickBooks error ${e.code}` : ''}
        {e.element ? ` · field ${e.element}` : ''}
      </p>
      <div class="qbo">
        QuickBooks said: {e.message}
        {e.detail ? `\n${e.detail}` : ''}
        {`\nintuit_tid: ${e.intuitTid ?? '(none: qbo-sync stopped before asking QuickBooks)'}`}
      </div>
      {e.hint ? <p class="hint">{e.hint}</p> : null}
    </div>
  );
}

function describeDecision(d: DecisionRecord['decision']): string {
  switch (d.kind) {
    case 'link':
      return `linked ${d.step} record ${d.sourceId} to QuickBooks id ${d.qboId}`;
    case 'manual':
      return `marked ${d.step} record ${d.sourceId} as entered by hand${d.qboId ? ` (QuickBooks id ${d.qboId})` : ''}`;
    case 'redate':
      return `re-dated the invoice to ${d.txnDate}`;
    default:
      return d.kind === 'periodReopened' ? 'period reopened' : d.kind;
  }
}

/** Every action the API offers on a waiting sync, as forms. */
function Actions(props: { sync: SyncView; csrf: string }) {
  const { sync, csrf } = props;
  const id = sync.syncId!;
  const e = sync.lastError;
  const realm = sync.realmId!;
  return (
    <div class="card" id="actions">
      <h2>Fix it</h2>
      <p class="muted">Read the error first; retrying without fixing the cause fails the same way.</p>
      <PostForm action={syncAction(id, 'retry')} csrf={csrf}>
        <button type="submit">Retry</button>
      </PostForm>
      {e?.step && e.sourceId ? (
        <>
          <PostForm action={syncAction(id, 'link')} csrf={csrf}>
            <label for="link-qbo-id">Link {e.step} record to QuickBooks id</label>
            <input
              id="link-qbo-id"
              name="qboId"
              inputmode="numeric"
              pattern="[0-9]{1,20}"
              required
              size={8}
            />
            <button class="secondary" type="submit">
              Link and continue
            </button>
          </PostForm>
          <PostForm action={syncAction(id, 'manual')} csrf={csrf}>
            <label for="manual-qbo-id">Entered by hand (QuickBooks id, optional)</label>
            <input id="manual-qbo-id" name="qboId" inputmode="numeric" pattern="[0-9]{1,20}" size={8} />
            <button class="secondary" type="submit">
              Mark entered by hand
            </button>
          </PostForm>
        </>
      ) : null}
      {e?.pattern === 'closed_period' ? (
        <PostForm action={syncAction(id, 'redate')} csrf={csrf}>
          <label for="redate-date">Re-date the invoice to</label>
          <input id="redate-date" name="txnDate" type="date" required />
          <button class="secondary" type="submit">
            Re-date and continue
          </button>
        </PostForm>
      ) : null}
      {sync.state === 'paused' ? (
        <>
          <PostForm action={`${companyPath(realm)}/reconnected`} csrf={csrf}>
            <button class="secondary" type="submit">
              Company reconnected
            </button>
          </PostForm>
          <PostForm action={`${companyPath(realm)}/period-reopened`} csrf={csrf}>
            <button class="secondary" type="submit">
              Period reopened
            </button>
          </PostForm>
        </>
      ) : null}
    </div>
  );
}

/** One sync: its steps with QuickBooks ids and links, the error, the decisions taken and the actions. */
export function SyncPage(props: {
  sync: SyncView;
  csrf: string;
  notice?: string;
  qboAppUrl: string;
  temporalUiUrl: string;
}) {
  const { sync, csrf } = props;
  const waiting = sync.state === 'needs_attention' || sync.state === 'paused';
  return (
    <Layout title={`Invoice ${sync.sourceInvoiceId}`} csrf={csrf}>
      <p class="muted">
        <a href={companyPath(sync.realmId!)}>Back to the company</a>
      </p>
      <h1>
        Invoice {sync.sourceInvoiceId} <Badge value={sync.state ?? 'queued'} />
      </h1>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <p>{sync.summary}</p>
      <p class="muted">
        <a href={props.temporalUiUrl}>History in Temporal</a> · sync id {sync.syncId}
      </p>
      {sync.lastError ? <ErrorBox error={sync.lastError} /> : null}
      {waiting ? <Actions sync={sync} csrf={csrf} /> : null}
      <h2>Steps</h2>
      <table>
        <thead>
          <tr>
            <th>Step</th>
            <th>Status</th>
            <th>Records</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((step) => (
            <tr data-step={step}>
              <td data-label="Step">{step}</td>
              <td data-label="Status">
                <Badge value={sync.steps?.[step]?.status ?? 'pending'} />
              </td>
              <td data-label="Records">
                {(sync.steps?.[step]?.records ?? []).map((r) => (
                  <div>
                    {r.sourceId}
                    {r.qboId ? (
                      <>
                        {' → '}
                        <a href={qboAppUrl(props.qboAppUrl, step, r.qboId)}>QuickBooks {r.qboId}</a>
                      </>
                    ) : null}
                    {r.action ? <span class="muted"> {r.action}</span> : null}
                    {r.error ? <span class="muted"> {r.error.pattern}</span> : null}
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Decisions taken</h2>
      {(sync.decisions ?? []).length === 0 ? <p class="muted">None yet.</p> : null}
      <ul>
        {(sync.decisions ?? []).map((d) => (
          <li>
            {d.at.replace('T', ' ').slice(0, 19)} UTC: {describeDecision(d.decision)}
            {d.decision.note ? <span class="muted"> ({d.decision.note})</span> : null}
          </li>
        ))}
      </ul>
    </Layout>
  );
}
