/**
 * The demo company `npm start` offers a new user: created in the local simulator and connected to
 * qbo-sync through the admin API's token-seeding route. Safe to run on every start: the simulator keeps
 * the company it made, and the connection is only re-seeded when qbo-sync lacks a working one.
 */
export interface DemoCompanyTarget {
  simUrl: string;
  apiUrl: string;
  adminKey: string;
  realmId: string;
}

export interface DemoCompany {
  realmId: string;
  companyName: string;
  /** What this call did: made the company, (re)connected it, or found both in place. */
  outcome: 'created' | 'connected' | 'unchanged';
}

async function call(method: string, url: string, body?: unknown, key?: string): Promise<any> {
  const res = await fetch(url, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (!res.ok)
    throw new Error(`${method} ${new URL(url).pathname} answered ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : {};
}

export async function ensureDemoCompany(target: DemoCompanyTarget): Promise<DemoCompany> {
  const { simUrl, apiUrl, adminKey, realmId } = target;
  const { connections } = await call('GET', `${apiUrl}/v1/connections`, undefined, adminKey);
  const connection = (connections as { realmId: string; status: string }[]).find(
    (c) => c.realmId === realmId,
  );
  const known = await fetch(`${simUrl}/_sim/companies/${realmId}`, { signal: AbortSignal.timeout(15_000) });
  if (connection?.status === 'active' && known.ok) {
    const { companyName } = await known.json();
    return { realmId, companyName, outcome: 'unchanged' };
  }
  const demo = await call('POST', `${simUrl}/_sim/demo-company`, { realmId });
  await call(
    'POST',
    `${apiUrl}/v1/connections/${realmId}/tokens`,
    {
      accessToken: demo.tokens.access_token,
      refreshToken: demo.tokens.refresh_token,
      expiresIn: demo.tokens.expires_in,
      refreshExpiresIn: demo.tokens.x_refresh_token_expires_in,
      companyName: demo.companyName,
    },
    adminKey,
  );
  return { realmId, companyName: demo.companyName, outcome: demo.created ? 'created' : 'connected' };
}
