import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Intuit's change notifications, in both formats it sends (../shared/qbo-changes-and-desktop.md §1.2–1.3):
 * the legacy `eventNotifications[].dataChangeEvent.entities[]` object and the CloudEvents array.
 * Pure: verifying and parsing only; recording and processing live elsewhere.
 */

/** The entities whose changes can drift our links. */
export const trackedEntities = ['Customer', 'Item', 'Invoice', 'Payment'] as const;
export type TrackedEntity = (typeof trackedEntities)[number];

export type ChangeOperation = 'create' | 'update' | 'delete' | 'merge' | 'void';

export interface ChangeNotice {
  /** CloudEvents `id` (re-sent on retry); for the legacy format, a digest of what identifies the change. */
  eventId: string;
  realmId: string;
  entity: TrackedEntity;
  qboId: string;
  operation: ChangeOperation;
  deletedId: string | null;
  occurredAt: Date;
}

/** True when `signature` is base64(HMAC-SHA256(verifierToken, rawBody)); compared in constant time. */
export function verifySignature(
  rawBody: Buffer,
  signature: string | undefined,
  verifierToken: string,
): boolean {
  if (!signature || !verifierToken) return false;
  const expected = createHmac('sha256', verifierToken).update(rawBody).digest();
  const given = Buffer.from(signature.trim(), 'base64');
  // Equal lengths first (timingSafeEqual throws otherwise); the length of a SHA-256 digest is no secret.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const OPERATIONS: Record<string, ChangeOperation> = {
  create: 'create',
  created: 'create',
  update: 'update',
  updated: 'update',
  delete: 'delete',
  deleted: 'delete',
  merge: 'merge',
  merged: 'merge',
  void: 'void',
  voided: 'void',
};

function entityOf(name: unknown): TrackedEntity | undefined {
  const lower = String(name ?? '').toLowerCase();
  return trackedEntities.find((e) => e.toLowerCase() === lower);
}

function timeOf(value: unknown): Date | undefined {
  const at = new Date(String(value ?? ''));
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/**
 * The changes a notification carries that matter to us, and how many events it carried that do not
 * (other entities, Emailed, unknown types): those are acknowledged and ignored, never refused, since a
 * refusal makes Intuit retry the whole batch and hold every later event. Returns undefined when the
 * body is not a notification in either format.
 */
export function parseNotification(body: unknown): { notices: ChangeNotice[]; ignored: number } | undefined {
  const notices: ChangeNotice[] = [];
  let ignored = 0;
  if (Array.isArray(body)) {
    for (const event of body as Record<string, unknown>[]) {
      const [, entityName, verb] = /^qbo\.([a-z]+)\.([a-z]+)\.v\d+$/i.exec(String(event?.type ?? '')) ?? [];
      const entity = entityOf(entityName);
      const operation = OPERATIONS[String(verb ?? '').toLowerCase()];
      const occurredAt = timeOf(event?.time);
      const realmId = event?.intuitaccountid;
      const qboId = event?.intuitentityid;
      if (!entity || !operation || !occurredAt || !event.id || !realmId || !qboId) {
        ignored++;
        continue;
      }
      const data = (event.data ?? {}) as Record<string, unknown>;
      notices.push({
        eventId: `ce:${String(event.id)}`,
        realmId: String(realmId),
        entity,
        qboId: String(qboId),
        operation,
        deletedId: data.deletedid || data.deletedId ? String(data.deletedid ?? data.deletedId) : null,
        occurredAt,
      });
    }
    return { notices, ignored };
  }
  const notifications = (body as { eventNotifications?: unknown } | null)?.eventNotifications;
  if (!Array.isArray(notifications)) return undefined;
  for (const notification of notifications as Record<string, any>[]) {
    const realmId = notification?.realmId;
    for (const change of (notification?.dataChangeEvent?.entities ?? []) as Record<string, unknown>[]) {
      const entity = entityOf(change?.name);
      const operation = OPERATIONS[String(change?.operation ?? '').toLowerCase()];
      const occurredAt = timeOf(change?.lastUpdated);
      if (!realmId || !entity || !operation || !occurredAt || !change.id) {
        ignored++;
        continue;
      }
      const identity = [realmId, entity, change.id, operation, change.lastUpdated].join('|');
      notices.push({
        eventId: `legacy:${createHash('sha256').update(identity).digest('base64url').slice(0, 32)}`,
        realmId: String(realmId),
        entity,
        qboId: String(change.id),
        operation,
        deletedId: change.deletedId ? String(change.deletedId) : null,
        occurredAt,
      });
    }
  }
  return { notices, ignored };
}
