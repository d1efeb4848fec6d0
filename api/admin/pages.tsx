import { hints } from '../../quickbooks/hints';
import type { ConnectionSummary } from '../../db/queries/connections';
import type { HealthVerdict } from './health-verdict';
import type {
  CompanyDiagnostics,
  CompanyOverview,
  DesktopConnector,
  SyncRow,
  WaitingSync,
} from './company-diagnostics';
import { Badge, Layout, PostForm } from './layout';
import { SearchForm } from './tool-pages';

const syncPath = (syncId: string, action: string) => `/admin/syncs/${encodeURIComponent(syncId)}/${action}`;
const companyPath = (realmId: string) => `/admin/companies/${encodeURIComponent(realmId)}`;
const when = (iso: string | null) => (iso ? iso.replace('T', ' ').slice(0, 19) + ' UTC' : '');

/** The login form; `error` says why the last attempt failed. */
export function LoginPage(props: { error?: string }) {
  return (
    <Layout title="Log in">
      <h1>Admin log in</h1>
      <div class="card">
        <p>
          Enter the admin API key. The page keeps you logged in for 8 hours with a cookie only this server can
          read.
        </p>
        {props.error ? (
          <p class="notice" role="alert">
            {props.error}
          </p>
        ) : null}
        <form method="post" action="/admin/login">
          <label for="key">Admin API key</label>
          <input id="key" name="key" type="password" autocomplete="current-password" required size={32} />
          <button type="submit">Log in</button>
        </form>
      </div>
    </Layout>
  );
}

function ConnectionLine(props: { connection: ConnectionSummary; desktop?: DesktopConnector }) {
  const c = props.connection;
  const d = props.desktop;
  if (d) {
    return (
      <div class="row">
        <span>
          QuickBooks Desktop <Badge value={c.status} />
        </span>
        <span class="muted">
          Web Connector ({d.username}) last polled{' '}
          {d.lastPolledAt ? when(d.lastPolledAt.toISOString()) : 'never'}
        </span>
        {d.lastError ? <span class="muted">{d.lastError}</span> : null}
        <span class="muted">company {c.realmId}</span>
        <a href={`${companyPath(c.realmId)}/qwc`}>Download .QWC file</a>
      </div>
    );
  }
  return (
    <div class="row">
      <span>
        Connection <Badge value={c.status} />
      </span>
      {c.statusReason ? <span class="muted">{c.statusReason}</span> : null}
      <span class="muted">realm {c.realmId}</span>
      <a href={`${companyPath(c.realmId)}/health`}>Health check</a>
      <a href={`${companyPath(c.realmId)}/reconciliation`}>Reconciliation</a>
      <a href={`${companyPath(c.realmId)}/drift`}>Changed in QuickBooks</a>
    </div>
  );
}

/** Every company with what waits for a person. */
export function OverviewPage(props: { companies: CompanyOverview[]; csrf: string; notice?: string }) {
  return (
    <Layout title="Companies" csrf={props.csrf}>
      <h1>Companies</h1>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <div class="row">
        <PostForm action="/admin/connect" csrf={props.csrf}>
          <button type="submit">Connect a company</button>
        </PostForm>
        <SearchForm />
      </div>
      {props.companies.length === 0 ? <p>No QuickBooks company is connected yet.</p> : null}
      {props.companies.map((co) => (
        <div class="card">
          <h3>
            <a href={companyPath(co.connection.realmId)}>
              {co.connection.companyName ?? `Company ${co.connection.realmId}`}
            </a>
          </h3>
          <ConnectionLine connection={co.connection} desktop={co.desktop} />
          <div class="row muted">
            <span>{co.needsAttention ?? '?'} need attention</span>
            <span>{co.paused ?? '?'} paused</span>
          </div>
          <div class="row muted">
            {Object.entries(co.states)
              .filter(([, n]) => n)
              .map(([state, n]) => (
                <span data-count={state}>
                  <Badge value={state} /> {n}
                </span>
              ))}
          </div>
        </div>
      ))}
    </Layout>
  );
}

function SyncTitle(props: { sync: SyncRow }) {
  const s = props.sync;
  return (
    <div class="row">
      <strong>
        <a href={`/admin/syncs/${encodeURIComponent(s.syncId)}`}>Invoice {s.sourceInvoiceId ?? s.syncId}</a>
      </strong>
      <Badge value={s.state} />
      {s.currentStep ? <span class="muted">step: {s.currentStep}</span> : null}
      <a href={s.temporalUiUrl}>History in Temporal</a>
    </div>
  );
}

/** One waiting sync: what QuickBooks said, the fix, and the buttons. */
function WaitingCard(props: { sync: WaitingSync; csrf: string; showHint: boolean }) {
  const { sync, csrf } = props;
  const e = sync.lastError;
  return (
    <div class="card" data-sync-id={sync.syncId}>
      <SyncTitle sync={sync} />
      {sync.summary ? <p>{sync.summary}</p> : null}
      {e ? (
        <>
          <p class="muted">
            Stuck on {e.step ?? 'a step'} record {e.sourceId ?? '?'}
            {e.code ? ` · QuickBooks error ${e.code}` : ''}
            {e.element ? ` · field ${e.element}` : ''}
          </p>
          <div class="qbo">
            QuickBooks said: {e.message}
            {e.detail ? `\n${e.detail}` : ''}
            {`\nintuit_tid: ${e.intuitTid ?? '(none: qbo-sync stopped before asking QuickBooks)'}`}
          </div>
          {props.showHint && e.hint ? <p class="hint">{e.hint}</p> : null}
        </>
      ) : null}
      <PostForm action={syncPath(sync.syncId, 'retry')} csrf={csrf}>
        <button type="submit">Retry</button>
      </PostForm>
      {e?.sourceId && e.step ? (
        <PostForm action={syncPath(sync.syncId, 'link')} csrf={csrf}>
          <label for={`link-${sync.syncId}`}>Link {e.step} record to QuickBooks id</label>
          <input
            id={`link-${sync.syncId}`}
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
      ) : null}
    </div>
  );
}

/** One company's diagnostics: connection, failures by pattern, paused syncs, recent syncs. */
export function CompanyPage(props: { data: CompanyDiagnostics; csrf: string; notice?: string }) {
  const { connection, failures, paused, recent } = props.data;
  const realm = connection.realmId;
  return (
    <Layout title={connection.companyName ?? realm} csrf={props.csrf}>
      <p class="muted">
        <a href="/admin">All companies</a>
      </p>
      <h1>{connection.companyName ?? `Company ${realm}`}</h1>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <div class="card">
        <ConnectionLine connection={connection} desktop={props.data.desktop} />
      </div>
      <div class="row">
        <a href={`${companyPath(realm)}/payments`}>Payments waiting</a>
        <a href={`${companyPath(realm)}/mappings`}>Mappings and policies</a>
        <SearchForm />
      </div>

      <h2>Needs attention</h2>
      {failures.length === 0 ? <p class="muted">Nothing is waiting for a fix.</p> : null}
      {failures.map((group) => {
        const shared = group.syncs.every((s) => s.lastError?.hint === group.syncs[0].lastError?.hint);
        const hint = shared ? group.syncs[0].lastError?.hint : hints[group.pattern as keyof typeof hints];
        return (
          <section data-pattern={group.pattern}>
            <h3>
              <Badge value={group.pattern} /> {group.syncs.length} sync{group.syncs.length === 1 ? '' : 's'}
            </h3>
            {hint ? <p class="hint">{hint}</p> : null}
            {group.syncs.map((s) => (
              <WaitingCard sync={s} csrf={props.csrf} showHint={!shared} />
            ))}
          </section>
        );
      })}

      <h2>Paused</h2>
      {paused.length === 0 ? (
        <p class="muted">No sync is paused.</p>
      ) : (
        <div class="card">
          <p>
            Syncs pause when the connection needs signing in again (auth) or the books are closed for their
            date (closed_period). Fix that in QuickBooks, then resume them all:
          </p>
          <PostForm action={`${companyPath(realm)}/reconnected`} csrf={props.csrf}>
            <button type="submit">Resume: reconnected</button>
          </PostForm>
          <PostForm action={`${companyPath(realm)}/period-reopened`} csrf={props.csrf}>
            <button type="submit">Resume: period reopened</button>
          </PostForm>
        </div>
      )}
      {paused.map((s) => (
        <WaitingCard sync={s} csrf={props.csrf} showHint={true} />
      ))}

      <h2>Recent syncs</h2>
      <table>
        <thead>
          <tr>
            <th>Invoice</th>
            <th>State</th>
            <th>Step</th>
            <th>Started</th>
            <th>History</th>
          </tr>
        </thead>
        <tbody>
          {recent.map((s) => (
            <tr data-sync-id={s.syncId}>
              <td data-label="Invoice">
                <a href={`/admin/syncs/${encodeURIComponent(s.syncId)}`}>{s.sourceInvoiceId ?? s.syncId}</a>
              </td>
              <td data-label="State">
                <Badge value={s.state} />
                {s.errorPattern && s.state !== 'completed' ? (
                  <span class="muted"> {s.errorPattern}</span>
                ) : null}
              </td>
              <td data-label="Step">{s.currentStep ?? ''}</td>
              <td data-label="Started">{when(s.startedAt)}</td>
              <td data-label="History">
                <a href={s.temporalUiUrl}>Temporal</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

/** The live health check, readable by a person. */
export function HealthPage(props: {
  connection: ConnectionSummary;
  company: Record<string, unknown>;
  verdict: HealthVerdict;
  csrf: string;
}) {
  const v = props.verdict;
  return (
    <Layout title="Health" csrf={props.csrf}>
      <p class="muted">
        <a href={companyPath(props.connection.realmId)}>Back to the company</a>
      </p>
      <h1>Health: {props.connection.companyName ?? props.connection.realmId}</h1>
      <div class="card">
        <ConnectionLine connection={props.connection} />
        <p class="muted">
          Access token expires {when(props.connection.accessTokenExpiresAt.toISOString())}; refresh token
          expires {when(props.connection.refreshTokenExpiresAt.toISOString())}.
        </p>
      </div>
      <div class="card" data-verdict={v.ready ? 'ready' : 'fix'}>
        <h2>Before a big job: {v.ready ? 'ready' : 'fix this first'}</h2>
        {v.ready ? <p>Ready: nothing blocks a backfill or a year-end close.</p> : null}
        <ol>
          {v.fixes.map((f) => (
            <li>{f}</li>
          ))}
        </ol>
        {v.notes.map((n) => (
          <p class="muted">{n}</p>
        ))}
      </div>
      <h2>Company settings read from QuickBooks now</h2>
      <div class="qbo">{JSON.stringify(props.company, null, 2)}</div>
    </Layout>
  );
}

/** A page for a company that is not connected. */
export function NotFoundPage(props: { what: string; csrf: string }) {
  return (
    <Layout title="Not found" csrf={props.csrf}>
      <h1>Not found</h1>
      <p>{props.what}</p>
      <p>
        <a href="/admin">All companies</a>
      </p>
    </Layout>
  );
}
