import { companyCountryOf } from '../quickbooks/company-country';
import type { DbOrTx } from '../db/client';
import { getConnectionSummary } from '../db/queries/connections';
import { readsOf } from '../db/queries/realm-reads';

/** The read-only view of QuickBooks that the health check needs (the QBO client satisfies it). */
export interface CompanyReader {
  read(realmId: string, entity: any, id: string): Promise<any>;
  query<T = any>(realmId: string, select: string): Promise<T[]>;
  preferences(realmId: string): Promise<any>;
}

/** The company settings that change how syncs behave, read live from QuickBooks. */
export interface CompanySettings {
  name: string | null;
  country: string | null;
  /** Transactions dated on or before this are refused (6210); null when the books are not closed. */
  closingDate: string | null;
  customTransactionNumbers: boolean | null;
  multicurrency: boolean | null;
  homeCurrency: string | null;
  usingSalesTax: boolean | null;
  automatedSalesTax: boolean | null;
  /** Non-US companies need GlobalTaxCalculation and a TaxCodeRef on every line. */
  nonUsTax: boolean;
  requiredAccounts: {
    accountsReceivable: boolean;
    undepositedFunds: boolean;
    income: boolean;
    missing: string[];
  };
}

interface Account {
  Name?: string;
  AccountType?: string;
  AccountSubType?: string;
  Active?: boolean;
}

const bool = (v: unknown): boolean | null =>
  typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : null;

/**
 * Reads Preferences, CompanyInfo and the active accounts and reduces them to what a person checks
 * before syncing. Throws whatever the reader throws (ApplicationFailure from the QBO client).
 */
export async function readCompanySettings(reader: CompanyReader, realmId: string): Promise<CompanySettings> {
  const [prefs, info, accounts] = await Promise.all([
    reader.preferences(realmId),
    reader.read(realmId, 'CompanyInfo', realmId),
    reader.query<Account>(realmId, 'select * from Account where Active = true'),
  ]);
  const p = unwrap(prefs, 'Preferences');
  const c = unwrap(info, 'CompanyInfo');
  const country = companyCountryOf(c);

  const has = (match: (a: Account) => boolean) => accounts.some((a) => a.Active !== false && match(a));
  const accountsReceivable = has((a) => a.AccountType === 'Accounts Receivable');
  const undepositedFunds = has(
    (a) => a.AccountSubType === 'UndepositedFunds' || a.Name === 'Undeposited Funds',
  );
  const income = has((a) => a.AccountType === 'Income');
  const missing = [
    accountsReceivable ? null : 'Accounts Receivable',
    undepositedFunds ? null : 'Undeposited Funds',
    income ? null : 'an Income account',
  ].filter((m): m is string => m !== null);

  return {
    name: c?.CompanyName ?? null,
    country,
    closingDate: p?.AccountingInfoPrefs?.BookCloseDate ?? null,
    customTransactionNumbers: bool(p?.SalesFormsPrefs?.CustomTxnNumbers),
    multicurrency: bool(p?.CurrencyPrefs?.MultiCurrencyEnabled),
    homeCurrency: p?.CurrencyPrefs?.HomeCurrency?.value ?? null,
    usingSalesTax: bool(p?.TaxPrefs?.UsingSalesTax),
    automatedSalesTax: bool(p?.TaxPrefs?.PartnerTaxEnabled),
    nonUsTax: country !== null && country !== 'US' && country !== 'USA',
    requiredAccounts: { accountsReceivable, undepositedFunds, income, missing },
  };
}

/** Accepts both the entity itself and QuickBooks' `{ Preferences: {...} }` envelope. */
function unwrap(value: any, key: string): any {
  return value && typeof value === 'object' && key in value ? value[key] : value;
}

export interface ConnectionHealthDeps {
  db: DbOrTx;
  qbo: CompanyReader;
  /** How many of the company's syncs are in `state` (a Temporal visibility count). */
  countSyncs(realmId: string, state: 'paused' | 'needs_attention'): Promise<number>;
}

/**
 * A company's token state, live settings and stuck syncs, for `GET /v1/connections/:realmId/health`.
 * Returns undefined for an unknown company. QuickBooks and Temporal failures are reported inside the
 * result, never thrown. Never includes a token.
 */
export async function connectionHealth(deps: ConnectionHealthDeps, realmId: string) {
  const conn = await getConnectionSummary(deps.db, realmId);
  if (!conn) return undefined;
  const now = Date.now();
  const tokens = {
    tokenVersion: conn.tokenVersion,
    accessTokenExpiresAt: conn.accessTokenExpiresAt.toISOString(),
    accessTokenExpiresInSeconds: Math.round((conn.accessTokenExpiresAt.getTime() - now) / 1000),
    refreshTokenIssuedAt: conn.refreshTokenIssuedAt.toISOString(),
    refreshTokenAgeSeconds: Math.round((now - conn.refreshTokenIssuedAt.getTime()) / 1000),
    refreshTokenExpiresAt: conn.refreshTokenExpiresAt.toISOString(),
    refreshTokenHardExpiresAt: conn.refreshTokenHardExpiresAt?.toISOString() ?? null,
  };
  let company: ({ ok: true } & CompanySettings) | { ok: false; error: { pattern: string; message: string } };
  if (conn.status !== 'active') {
    const message = `The connection is ${conn.status}; reconnect to read company settings.`;
    company = { ok: false, error: { pattern: 'auth_expired', message } };
  } else {
    try {
      company = { ok: true, ...(await readCompanySettings(deps.qbo, realmId)) };
    } catch (err) {
      // QboFault carries the classified pattern; the token store's ApplicationFailure carries it as type.
      const e = err as { fault?: { pattern?: string }; type?: string; message?: string };
      const pattern = e.fault?.pattern ?? e.type ?? 'other';
      company = { ok: false, error: { pattern, message: String(e.message ?? '').slice(0, 300) } };
    }
  }
  const [paused, needsAttention, quickbooksReads] = await Promise.all([
    countWithin(deps, realmId, 'paused'),
    countWithin(deps, realmId, 'needs_attention'),
    // Intuit meters reads (CorePlus) per app and month: what qbo-sync spent on this company.
    readsOf(deps.db, realmId),
  ]);
  return {
    realmId: conn.realmId,
    companyName: conn.companyName,
    environment: conn.environment,
    status: conn.status,
    statusReason: conn.statusReason,
    connectedAt: conn.connectedAt.toISOString(),
    tokens,
    company,
    syncs: { paused, needsAttention },
    quickbooksReads,
  };
}

/** null when Temporal does not answer within a few seconds: the rest of the report still matters. */
async function countWithin(
  deps: ConnectionHealthDeps,
  realmId: string,
  state: 'paused' | 'needs_attention',
): Promise<number | null> {
  // The rejection handler is attached at once, so a failure after the deadline is not left unhandled.
  const counted = deps.countSyncs(realmId, state).catch(() => null);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), 3_000)));
  try {
    return await Promise.race([counted, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
