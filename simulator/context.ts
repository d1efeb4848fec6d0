import type { HttpBindings } from '@hono/node-server';
import type { FaultRule } from './api/injected-faults';
import { RealmLimits } from './api/realm-limits';
import { RequestLog } from './api/request-log';
import type { WebhookHub } from './changes/webhook-hub';
import type { SimClock } from './clock';
import type { TokenStore } from './oauth/token-store';
import type { StatePersister } from './persistence';
import type { CompanyLimits, SimState } from './state';

/** Per-company state that lives only as long as the process: throttle windows, logs, injected faults. */
export interface CompanyRuntime {
  limits: RealmLimits;
  log: RequestLog;
  faults: FaultRule[];
}

/** Everything the route handlers share. */
export interface SimContext {
  state: SimState;
  clock: SimClock;
  tokens: TokenStore;
  persister: StatePersister;
  clientId: string;
  clientSecret: string;
  globalFaults: FaultRule[];
  runtime(realmId: string): CompanyRuntime;
  /** Sockets held open by 'commit-then-lose'; destroyed on close. */
  heldTimers: Set<NodeJS.Timeout>;
  /** Webhook subscriptions and their deliveries. */
  webhooks: WebhookHub;
  /** Limits for companies created without their own. */
  defaultLimits: Required<CompanyLimits>;
}

/** Hono environment for every simulator route. */
export type SimEnv = { Bindings: HttpBindings; Variables: { tid: string } };

/** Creates the lazily-filled map of company runtimes. */
export function createRuntimeRegistry(): (realmId: string) => CompanyRuntime {
  const runtimes = new Map<string, CompanyRuntime>();
  return (realmId) => {
    let runtime = runtimes.get(realmId);
    if (!runtime) {
      runtime = { limits: new RealmLimits(), log: new RequestLog(), faults: [] };
      runtimes.set(realmId, runtime);
    }
    return runtime;
  };
}
