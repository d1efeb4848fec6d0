import { createHmac, randomUUID } from 'node:crypto';
import { http } from './http';
import type { System } from './system';

/** base64(HMAC-SHA256(verifier token, body)), as Intuit signs a notification. */
export function sign(verifierToken: string, body: string): string {
  return createHmac('sha256', verifierToken).update(body).digest('base64');
}

/** POSTs a notification to the receiver, signed with `verifierToken` (or the given signature). */
export function postNotification(system: System, body: string, signature: string): ReturnType<typeof http> {
  return http('POST', `${system.apiUrl}/v1/webhooks/quickbooks`, body, {
    'content-type': 'application/cloudevents+json',
    'intuit-signature': signature,
  });
}

/** One CloudEvents event as Intuit sends it. */
export function cloudEvent(realmId: string, type: string, entityId: string, id = randomUUID()) {
  return {
    specversion: '1.0',
    id,
    source: 'intuit.test',
    type,
    datacontenttype: 'application/json',
    time: new Date().toISOString(),
    intuitentityid: entityId,
    intuitaccountid: realmId,
    data: {},
  };
}

/** Subscribes a simulated company's webhooks to the system's receiver. */
export async function subscribeWebhooks(
  system: System,
  realmId: string,
  verifierToken: string,
  extra: Record<string, unknown> = {},
) {
  const res = await system.sim('PUT', `/_sim/companies/${realmId}/webhooks`, {
    url: `${system.apiUrl}/v1/webhooks/quickbooks`,
    verifierToken,
    batchDelayMs: 20,
    retryDelaysMs: [200, 500, 1000],
    ...extra,
  });
  if (res.status !== 200) throw new Error(`could not subscribe: ${res.status} ${res.text}`);
}
