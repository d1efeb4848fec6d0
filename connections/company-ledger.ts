import type { Db } from '../db/client';
import { getDesktopConnection } from '../db/queries/desktop-connections';
import type { Ledger } from '../sync/ledger';

/**
 * The ledger each company keeps its books in: QuickBooks Desktop when it is registered as a Web Connector
 * company, else QuickBooks Online. The answer is remembered (a company does not change kind; a company
 * not found is asked again after a short while, as it may be registered later).
 */
export function companyLedger(db: Db, ledgers: { online: Ledger; desktop: Ledger }): Ledger {
  const known = new Map<string, { desktop: boolean; at: number }>();
  async function pick(realmId: string): Promise<Ledger> {
    const hit = known.get(realmId);
    if (hit && (hit.desktop || Date.now() - hit.at < 10_000))
      return hit.desktop ? ledgers.desktop : ledgers.online;
    const desktop = (await getDesktopConnection(db, realmId)) !== undefined;
    if (known.size > 10_000) known.clear();
    known.set(realmId, { desktop, at: Date.now() });
    return desktop ? ledgers.desktop : ledgers.online;
  }
  return {
    create: async (realmId, ...rest) => (await pick(realmId)).create(realmId, ...rest),
    read: async (realmId, ...rest) => (await pick(realmId)).read(realmId, ...rest),
    update: async (realmId, ...rest) => (await pick(realmId)).update(realmId, ...rest),
    void: async (realmId, ...rest) => (await pick(realmId)).void(realmId, ...rest),
    find: async (realmId, ...rest) => (await pick(realmId)).find(realmId, ...rest),
    preferences: async (realmId) => (await pick(realmId)).preferences(realmId),
    companyInfo: async (realmId) => (await pick(realmId)).companyInfo(realmId),
  };
}
