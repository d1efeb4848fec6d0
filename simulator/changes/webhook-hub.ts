import { createHmac } from 'node:crypto';
import type { Company } from '../state';
import { createChangeFeed } from './change-feed';
import { cloudEventsPayload, legacyPayload, type ChangeEvent, type WebhookFormat } from './webhook-payloads';

/** A company's webhook subscription, as the developer portal would hold it, plus injectable faults. */
export interface WebhookSubscription {
  url: string;
  verifierToken: string;
  format: WebhookFormat;
  enabled: boolean;
  voidVerb: 'void' | 'voided';
  /** Waits before sending, collecting the changes of that time into one POST. */
  batchDelayMs: number;
  /** Intuit's schedule is 10 s, 20 s, 30 s, 5 m, 20 m, 2 h, 4 h, 6 h, then every 6 h; tests shorten it. */
  retryDelaysMs: number[];
  /** Fault: every POST is sent twice (the same body, the same event ids). */
  duplicate: boolean;
  /** Fault: the events of a POST are sent newest first. */
  outOfOrder: boolean;
}

export interface DeliveryAttempt {
  at: string;
  attempt: number;
  status: number;
  eventIds: string[];
  error?: string;
}

const MAX_EVENTS_PER_POST = 100;
const MAX_LOG = 500;

/** base64(HMAC-SHA256(verifier token, raw body)): Intuit's `intuit-signature`. */
export function intuitSignature(verifierToken: string, body: string): string {
  return createHmac('sha256', verifierToken).update(body, 'utf8').digest('base64');
}

interface RealmHooks {
  subscription: WebhookSubscription;
  feed: ReturnType<typeof createChangeFeed>;
  queue: ChangeEvent[][];
  sending: boolean;
  flushTimer?: NodeJS.Timeout;
  pending: ChangeEvent[];
  log: DeliveryAttempt[];
}

/**
 * Sends every change of a subscribed company to its URL: batched (≤ 100 events a POST), signed, one POST
 * at a time per company, and a POST that is not answered 2xx is retried on the schedule while later
 * changes wait behind it, as Intuit does.
 */
export function createWebhookHub(now: () => number, timers: Set<NodeJS.Timeout>) {
  const realms = new Map<string, RealmHooks>();

  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
    return timer;
  };

  async function post(hooks: RealmHooks, events: ChangeEvent[], attempt: number): Promise<boolean> {
    const { subscription } = hooks;
    const ordered = subscription.outOfOrder ? [...events].reverse() : events;
    const body = JSON.stringify(
      subscription.format === 'cloudevents'
        ? cloudEventsPayload(ordered, subscription.voidVerb)
        : legacyPayload(ordered),
    );
    const record = (status: number, error?: string) => {
      hooks.log.push({
        at: new Date(now()).toISOString(),
        attempt,
        status,
        eventIds: ordered.map((e) => e.eventId),
        error,
      });
      if (hooks.log.length > MAX_LOG) hooks.log.shift();
    };
    try {
      const res = await fetch(subscription.url, {
        method: 'POST',
        body,
        headers: {
          'content-type':
            subscription.format === 'cloudevents' ? 'application/cloudevents+json' : 'application/json',
          'intuit-signature': intuitSignature(subscription.verifierToken, body),
          'intuit-created-time': new Date(now()).toISOString(),
          'intuit-notification-schema-version': '0.1',
          'user-agent': 'intuit_notification_server/0.1',
        },
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      record(res.status);
      return res.status >= 200 && res.status < 300;
    } catch (err) {
      record(0, (err as Error).message);
      return false;
    }
  }

  async function drain(hooks: RealmHooks): Promise<void> {
    if (hooks.sending) return;
    hooks.sending = true;
    try {
      while (hooks.queue.length && hooks.subscription.enabled) {
        const events = hooks.queue[0];
        let delivered = false;
        for (let attempt = 0; !delivered; attempt++) {
          delivered = await post(hooks, events, attempt);
          if (delivered && hooks.subscription.duplicate) await post(hooks, events, attempt);
          if (!delivered) {
            const delays = hooks.subscription.retryDelaysMs;
            const wait = delays[Math.min(attempt, delays.length - 1)] ?? 6 * 3600_000;
            await new Promise<void>((resolve) => later(wait, resolve));
            if (!hooks.subscription.enabled || realms.get(events[0].realmId) !== hooks) return;
          }
        }
        hooks.queue.shift();
      }
    } finally {
      hooks.sending = false;
    }
  }

  function flush(hooks: RealmHooks) {
    hooks.flushTimer = undefined;
    while (hooks.pending.length) hooks.queue.push(hooks.pending.splice(0, MAX_EVENTS_PER_POST));
    void drain(hooks);
  }

  return {
    subscribe(company: Company, subscription: WebhookSubscription) {
      const existing = realms.get(company.realmId);
      if (existing) {
        existing.subscription = subscription;
        void drain(existing);
        return;
      }
      realms.set(company.realmId, {
        subscription,
        feed: createChangeFeed(company),
        queue: [],
        sending: false,
        pending: [],
        log: [],
      });
    },
    unsubscribe(realmId: string) {
      const hooks = realms.get(realmId);
      if (hooks?.flushTimer) clearTimeout(hooks.flushTimer);
      realms.delete(realmId);
    },
    subscription(realmId: string): WebhookSubscription | undefined {
      return realms.get(realmId)?.subscription;
    },
    deliveries(realmId: string): DeliveryAttempt[] {
      return realms.get(realmId)?.log ?? [];
    },
    /** Call after anything may have changed the company: its changes are queued for delivery. */
    noteChanges(company: Company) {
      const hooks = realms.get(company.realmId);
      if (!hooks) return;
      const events = hooks.feed.changes(now());
      // Changes made while switched off are not sent later (Intuit only sends what happens while subscribed).
      if (!events.length || !hooks.subscription.enabled) return;
      hooks.pending.push(...events);
      hooks.flushTimer ??= later(hooks.subscription.batchDelayMs, () => flush(hooks));
    },
  };
}

export type WebhookHub = ReturnType<typeof createWebhookHub>;
