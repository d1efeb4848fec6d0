import { Hono } from 'hono';
import type { ApiDeps } from '../deps';
import { getConnectionSummary } from '../../db/queries/connections';
import { recordEvents } from '../../db/queries/quickbooks-events';
import { parseNotification, verifySignature } from '../../quickbooks/webhook-events';
import { wakeChangeTracker } from '../services/change-tracker';

/**
 * `POST /v1/webhooks/quickbooks`: Intuit's change notifications. The signature is checked over the raw
 * bytes (401, nothing recorded, when it fails); events are recorded once each by event id, the companies'
 * change trackers are signalled, and the answer goes back at once: the work happens in Temporal. Events
 * we do not track are acknowledged and ignored, since a refusal makes Intuit retry and hold later events.
 */
export function createWebhookRoutes(deps: ApiDeps) {
  return new Hono().post('/quickbooks', async (c) => {
    const raw = Buffer.from(await c.req.arrayBuffer());
    if (!verifySignature(raw, c.req.header('intuit-signature'), deps.config.QBO_WEBHOOK_VERIFIER_TOKEN)) {
      return c.json(
        { error: { code: 'bad_signature', message: 'The intuit-signature header does not match the body.' } },
        401,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return c.json({ error: { code: 'bad_request', message: 'The body is not JSON.' } }, 400);
    }
    const parsed = parseNotification(body) ?? { notices: [], ignored: 1 };
    // Only companies connected here: a notification for another company is acknowledged and ignored.
    const realmIds = [...new Set(parsed.notices.map((n) => n.realmId))];
    const connected = new Set<string>();
    for (const realmId of realmIds) if (await getConnectionSummary(deps.db, realmId)) connected.add(realmId);
    const notices = parsed.notices.filter((n) => connected.has(n.realmId));
    const fresh = await recordEvents(
      deps.db,
      notices.map((n) => ({
        eventId: n.eventId,
        realmId: n.realmId,
        entity: n.entity,
        qboId: n.qboId,
        operation: n.operation,
        deletedId: n.deletedId,
        occurredAt: n.occurredAt,
      })),
    );
    const realms = [...new Set(fresh.map((e) => e.realmId))];
    // The events are durable already: a tracker that cannot be signalled now finds them at its next sweep.
    await Promise.all(
      realms.map((realmId) =>
        wakeChangeTracker(deps.temporal, deps.config, realmId, 'noticed').catch((err: Error) =>
          deps.logger.warn({ realmId, err: err.message }, 'could not signal the change tracker'),
        ),
      ),
    );
    return c.json({
      recorded: fresh.length,
      duplicates: notices.length - fresh.length,
      ignored: parsed.ignored + parsed.notices.length - notices.length,
    });
  });
}
