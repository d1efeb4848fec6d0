import type { DriftItem } from '../services/drift-list';
import { Badge, Layout, Notice, PostForm } from './layout';

const base = (realmId: string) => `/admin/companies/${encodeURIComponent(realmId)}`;
const when = (iso: string | null) => (iso ? iso.replace('T', ' ').slice(0, 19) : '');
const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** The record a waiting sync is stopped on with changed_in_quickbooks. */
export interface WaitingOn {
  step: string;
  sourceId: string;
}

/** The step of a sync that converges a record of this entity type. */
export const stepOf = (entityType: string) => (entityType === 'Payment' ? 'payments' : 'invoice');

/**
 * A company's records changed in QuickBooks after we synced them: what changed, when, in which record,
 * its sync, and, where a sync waits on the record, the three decisions.
 */
export function DriftPage(props: {
  realmId: string;
  items: DriftItem[];
  /** Null when Temporal could not be asked which syncs wait. */
  waiting: Map<string, WaitingOn> | null;
  csrf: string;
  notice?: string;
}) {
  const { realmId, csrf } = props;
  return (
    <Layout title={`Changed in QuickBooks ${realmId}`} csrf={csrf}>
      <p class="muted">
        <a href={base(realmId)}>Back to the company</a>
      </p>
      <h1>Changed in QuickBooks</h1>
      <Notice notice={props.notice} />
      {props.waiting ? null : (
        <p class="notice" role="status">
          Temporal could not be reached, so the decision buttons are missing: reload in a moment.
        </p>
      )}
      <p>
        Records qbo-sync wrote that someone edited, voided, deleted, merged or made inactive in QuickBooks
        since. qbo-sync never writes over them on its own: when the source app sends a new version of a
        deleted or voided record, its sync waits here for your decision.
      </p>
      <PostForm action={`${base(realmId)}/drift/sweep`} csrf={csrf}>
        <button class="secondary" type="submit">
          Check QuickBooks for changes now
        </button>
      </PostForm>
      {props.items.length === 0 ? (
        <p class="muted">Nothing we synced was changed in QuickBooks.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Record</th>
              <th>What changed</th>
              <th>When</th>
              <th>Sync</th>
              <th>Decision</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((item) => (
              <DriftRow item={item} waiting={props.waiting ?? new Map()} csrf={csrf} />
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

function DriftRow(props: { item: DriftItem; waiting: Map<string, WaitingOn>; csrf: string }) {
  const { item, csrf } = props;
  const on = item.syncId ? props.waiting.get(item.syncId) : undefined;
  const decidable = on?.step === stepOf(item.entityType) && on.sourceId === item.sourceId;
  return (
    <tr data-drift={`${item.entityType}:${item.sourceId}`}>
      <td data-label="Record">
        {item.entityType} {item.sourceId}
        <div class="muted">QuickBooks id {item.qboId ?? 'none'}</div>
      </td>
      <td data-label="What changed">
        <Badge value={item.kind} /> {item.summary}
        {Object.entries(item.changes).map(([field, change]) => (
          <div class="muted">
            {field}: {shown(change.was)} → {shown(change.now)}
          </div>
        ))}
      </td>
      <td data-label="When">
        {item.changedAt ? <div>changed {when(item.changedAt)}</div> : null}
        <div class="muted">
          seen {when(item.seenAt)} UTC by {item.seenBy}
        </div>
      </td>
      <td data-label="Sync">
        {item.syncId ? <a href={`/admin/syncs/${encodeURIComponent(item.syncId)}`}>{item.syncId}</a> : '—'}
      </td>
      <td data-label="Decision">
        {item.decision ? (
          <span>Decided: {item.decision}; the sync acts on it.</span>
        ) : decidable && item.syncId ? (
          <DecisionButtons syncId={item.syncId} step={on.step} sourceId={item.sourceId} csrf={csrf} />
        ) : (
          <span class="muted">
            {item.kind === 'deleted' || item.kind === 'voided'
              ? 'Reported. If the source app sends a new version, its sync waits here for a decision.'
              : "Reported; QuickBooks' version is kept."}
          </span>
        )}
      </td>
    </tr>
  );
}

const choices = [
  { choice: 'recreate', label: 'Re-create in QuickBooks' },
  { choice: 'overwrite', label: 'Overwrite QuickBooks with the source' },
  { choice: 'accept', label: "Accept QuickBooks' version" },
] as const;

function DecisionButtons(props: { syncId: string; step: string; sourceId: string; csrf: string }) {
  return (
    <>
      {choices.map(({ choice, label }) => (
        <PostForm
          action={`/admin/syncs/${encodeURIComponent(props.syncId)}/drift-decision`}
          csrf={props.csrf}
        >
          <input type="hidden" name="step" value={props.step} />
          <input type="hidden" name="sourceId" value={props.sourceId} />
          <input type="hidden" name="choice" value={choice} />
          <button class={choice === 'recreate' ? '' : 'secondary'} type="submit">
            {label}
          </button>
        </PostForm>
      ))}
    </>
  );
}
