import { createSimulator, type RunningSimulator } from '../../simulator/server';

/** A company created through the control surface, with helpers to call its data API. */
export interface TestCompany {
  realmId: string;
  accessToken: string;
  refreshToken: string;
  api(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Headers; text: string }>;
}

/** Starts a simulator on a free port for one test file. */
export async function startSimulator(): Promise<RunningSimulator> {
  return createSimulator().start(0);
}

/** Calls the control surface and returns the parsed JSON body. Throws on a non-2xx status. */
export async function control(
  sim: RunningSimulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<any> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * Creates a company (and tokens) and returns a client bound to it. These tests send requests back to
 * back, faster than QuickBooks' 10 a second, so the per-second limit is lifted unless a test sets it.
 */
export async function createCompany(
  sim: RunningSimulator,
  options: Record<string, unknown> = {},
): Promise<TestCompany> {
  const created = await control(sim, 'POST', '/_sim/companies', { ratePerSecond: 10_000, ...options });
  const company: TestCompany = {
    realmId: created.realmId,
    accessToken: created.tokens.access_token,
    refreshToken: created.tokens.refresh_token,
    async api(method, path, body, headers = {}) {
      const res = await fetch(`${sim.url}/v3/company/${created.realmId}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${company.accessToken}`,
          accept: 'application/json',
          'content-type': typeof body === 'string' ? 'application/text' : 'application/json',
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // XML and HTML bodies stay as text.
      }
      return { status: res.status, body: parsed, headers: res.headers, text };
    },
  };
  return company;
}

/** Seeded account ids by name, read through the data API. */
export async function accountIds(company: TestCompany): Promise<Record<string, string>> {
  const res = await company.api('GET', `/query?query=${encodeURIComponent('select * from Account')}`);
  return Object.fromEntries(res.body.QueryResponse.Account.map((a: any) => [a.Name, a.Id]));
}

/** Creates a customer, a service item and returns their ids. */
export async function seedCustomerAndItem(
  company: TestCompany,
  name = 'Acme',
): Promise<{ customerId: string; itemId: string }> {
  const accounts = await accountIds(company);
  const customer = await company.api('POST', '/customer', { DisplayName: name });
  const item = await company.api('POST', '/item', {
    Name: `${name} service`,
    Type: 'Service',
    IncomeAccountRef: { value: accounts.Services },
  });
  if (customer.status !== 200 || item.status !== 200)
    throw new Error(`seed failed: ${customer.text} ${item.text}`);
  return { customerId: customer.body.Customer.Id, itemId: item.body.Item.Id };
}

/** A one-line invoice body. */
export function invoiceBody(
  customerId: string,
  itemId: string,
  amount = 100,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    CustomerRef: { value: customerId },
    Line: [
      {
        DetailType: 'SalesItemLineDetail',
        Amount: amount,
        SalesItemLineDetail: { ItemRef: { value: itemId }, Qty: 1, UnitPrice: amount },
      },
    ],
    ...extra,
  };
}

/** The first Error entry of a Fault body. */
export function firstError(body: any): { code: string; Message: string; Detail: string; element: string } {
  return body.Fault.Error[0];
}

/** An unmodified intuit-oauth client pointed at the simulator's copies of Intuit's endpoint paths. */
export function intuitOAuthClient(sim: RunningSimulator): any {
  const OAuthClient = require('intuit-oauth');
  const oauth = new OAuthClient({
    clientId: 'qbo-sync-local-client',
    clientSecret: 'qbo-sync-local-secret',
    environment: 'sandbox',
    redirectUri: 'http://localhost:3000/callback',
  });
  oauth.setAuthorizeURLs({
    authorizeEndpoint: `${sim.url}/connect/oauth2`,
    tokenEndpoint: `${sim.url}/oauth2/v1/tokens/bearer`,
    revokeEndpoint: `${sim.url}/v2/oauth2/tokens/revoke`,
    userInfoEndpoint: `${sim.url}/v1/openid_connect/userinfo`,
  });
  return oauth;
}
