import type { Company, EntityName } from '../state';
import { newEventId, type ChangeEvent } from './webhook-payloads';

/** Entities a webhook subscription covers here (the ones qbo-sync writes). */
export const WEBHOOK_ENTITIES: EntityName[] = ['Customer', 'Item', 'Invoice', 'Payment'];

/** What a record looked like at the last look: enough to tell a create, an update, a void and a delete. */
type Snapshot = Map<string, { syncToken: string; deleted: boolean; voided: boolean }>;

function look(company: Company): Snapshot {
  const snapshot: Snapshot = new Map();
  for (const entity of WEBHOOK_ENTITIES) {
    for (const record of Object.values(company.records[entity])) {
      snapshot.set(`${entity}:${record.data.Id}`, {
        syncToken: String(record.data.SyncToken),
        deleted: Boolean(record.deleted),
        voided: Boolean(record.voided),
      });
    }
  }
  return snapshot;
}

/**
 * Turns whatever happened to a company since the last call into change events, however it happened
 * (data API, batch, `/_sim` edits, recomputed balances), by comparing with a snapshot. Only companies with a
 * webhook subscription pay for the scan.
 */
export function createChangeFeed(company: Company) {
  let previous = look(company);
  return {
    changes(now: number): ChangeEvent[] {
      const current = look(company);
      const events: ChangeEvent[] = [];
      for (const [key, state] of current) {
        const [entity, id] = key.split(':') as [EntityName, string];
        const before = previous.get(key);
        const event = (operation: ChangeEvent['operation']) =>
          events.push({ realmId: company.realmId, entity, id, operation, at: now, eventId: newEventId() });
        if (!before) event(state.deleted ? 'Delete' : 'Create');
        else if (state.deleted && !before.deleted) event('Delete');
        else if (state.voided && !before.voided) event('Void');
        else if (state.syncToken !== before.syncToken) event('Update');
      }
      previous = current;
      return events;
    },
  };
}
