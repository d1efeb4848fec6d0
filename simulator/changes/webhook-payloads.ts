import { randomUUID } from 'node:crypto';
import type { EntityName } from '../state';

/** A change as Intuit's webhooks name it. */
export type ChangeOperation = 'Create' | 'Update' | 'Delete' | 'Merge' | 'Void';

export interface ChangeEvent {
  realmId: string;
  entity: EntityName;
  id: string;
  operation: ChangeOperation;
  /** When QuickBooks made the change (epoch ms, simulator clock). */
  at: number;
  /** The merged-away record of a Merge. */
  deletedId?: string;
  /** CloudEvents id; kept across retries and duplicate deliveries. */
  eventId: string;
}

export type WebhookFormat = 'legacy' | 'cloudevents';

const VERBS: Record<ChangeOperation, string> = {
  Create: 'created',
  Update: 'updated',
  Delete: 'deleted',
  Merge: 'merged',
  Void: 'voided',
};

export function newEventId(): string {
  return randomUUID();
}

/**
 * The legacy payload: `eventNotifications[]` per realm, each with `dataChangeEvent.entities[]`
 * (`name`, `id`, `operation`, `lastUpdated`, and `deletedId` on Merge only).
 */
export function legacyPayload(events: ChangeEvent[]): object {
  const realms = [...new Set(events.map((e) => e.realmId))];
  return {
    eventNotifications: realms.map((realmId) => ({
      realmId,
      dataChangeEvent: {
        entities: events
          .filter((e) => e.realmId === realmId)
          .map((e) => ({
            name: e.entity,
            id: e.id,
            operation: e.operation,
            lastUpdated: new Date(e.at).toISOString(),
            ...(e.deletedId ? { deletedId: e.deletedId } : {}),
          })),
      },
    })),
  };
}

/**
 * The CloudEvents payload: a JSON array of events, `type` = `qbo.<entity>.<verb>.v1`, the realm in
 * `intuitaccountid`, the record id in `intuitentityid`. `voidVerb` picks the disputed spelling of void.
 */
export function cloudEventsPayload(events: ChangeEvent[], voidVerb: 'void' | 'voided' = 'voided'): object[] {
  return events.map((e) => ({
    specversion: '1.0',
    id: e.eventId,
    source: `intuit.${Buffer.from(e.realmId).toString('base64url')}`,
    type: `qbo.${e.entity.toLowerCase()}.${e.operation === 'Void' ? voidVerb : VERBS[e.operation]}.v1`,
    datacontenttype: 'application/json',
    time: new Date(e.at).toISOString(),
    intuitentityid: e.id,
    intuitaccountid: e.realmId,
    data: e.deletedId ? { deletedid: e.deletedId } : {},
  }));
}
