import { randomBytes } from 'node:crypto';
import { createDb } from '../../db/client';
import { upsertMapping } from '../../db/queries/mappings';
import { testServices } from './env';
import type { System } from './system';

/** A simulated QuickBooks Desktop company registered with qbo-sync, and its Web Connector. */
export interface DesktopCompany {
  realmId: string;
  username: string;
  password: string;
  /** Desktop's records of a kind (customers, items, invoices, payments, …) with qbXML field names. */
  records(kind: string): Promise<any[]>;
  /** Runs one Web Connector session now; returns its transcript. */
  poll(): Promise<any>;
  fault(fault: Record<string, unknown>): Promise<void>;
  offline(): Promise<void>;
  online(): Promise<any>;
}

/**
 * Creates a company file in the Desktop simulator, registers it with qbo-sync through the admin API (the
 * company file's id is the company's realmId) and points the simulated Web Connector at our /qbwc,
 * polling every `pollSeconds` (0: only when the test polls).
 */
export async function newDesktopCompany(
  system: System,
  options: { pollSeconds?: number; closingDate?: string } = {},
): Promise<DesktopCompany> {
  const created = await system.sim('POST', '/_sim/desktop/companies', {
    name: `Books ${randomBytes(3).toString('hex')}`,
    ...(options.closingDate ? { closingDate: options.closingDate } : {}),
  });
  if (created.status !== 201) throw new Error(`simulator refused a Desktop company: ${created.text}`);
  const realmId: string = created.body.companyId;
  const username = `qbwc-${randomBytes(4).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  const registered = await system.api(
    'POST',
    '/v1/desktop-connections',
    { realmId, companyName: created.body.name, username, password },
    system.adminKey,
  );
  if (registered.status !== 201)
    throw new Error(`registration refused: ${registered.status} ${registered.text}`);
  const base = `/_sim/desktop/companies/${realmId}`;
  const connector = await system.sim('PUT', `${base}/connector`, {
    appUrl: `${system.apiUrl}/qbwc`,
    username,
    password,
    ...(options.pollSeconds ? { pollSeconds: options.pollSeconds } : {}),
  });
  if (connector.status >= 300) throw new Error(`connector refused: ${connector.text}`);
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await system.sim(method, `${base}${path}`, body);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return res.body;
  };
  // The simulated company file answers no AccountQuery: map the income account items use, as an admin would.
  const accounts = (await ok('GET', '/records/accounts')).records as { ListID: string; Name: string }[];
  const income = accounts.find((a) => a.Name === 'Services');
  if (!income) throw new Error('the company file has no Services income account');
  const database = createDb(testServices().databaseUrl, { max: 1 });
  try {
    await upsertMapping(database.db, {
      realmId,
      kind: 'income_account',
      sourceKey: 'default',
      qboId: income.ListID,
      qboName: income.Name,
    });
  } finally {
    await database.close();
  }
  return {
    realmId,
    username,
    password,
    records: async (kind) => (await ok('GET', `/records/${kind}`)).records,
    poll: () => ok('POST', '/connector/poll'),
    fault: async (fault) => void (await ok('POST', '/faults', fault)),
    offline: async () => void (await ok('POST', '/connector/offline')),
    online: () => ok('POST', '/connector/online'),
  };
}
