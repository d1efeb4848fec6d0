/** Entities the simulator stores, by their QuickBooks (PascalCase) names. */
export const ENTITY_NAMES = [
  'Customer',
  'Item',
  'Account',
  'TaxCode',
  'TaxRate',
  'Invoice',
  'Payment',
] as const;
export type EntityName = (typeof ENTITY_NAMES)[number];

/** Countries with distinct tax behaviour. */
export type Country = 'US' | 'GB' | 'CA' | 'AU';

/** A QuickBooks JSON object as sent and returned over the wire. */
export type QboObject = Record<string, any>;

/** One stored record plus facts QuickBooks does not put in its JSON. */
export interface StoredRecord {
  data: QboObject;
  deleted?: boolean;
  voided?: boolean;
}

/** The stored outcome of a request that carried a `requestid`. */
export interface StoredReply {
  status: number;
  body: string;
  contentType: string;
  /** How many items of a batch answer are faults, for the log of a repeat (batch requests only). */
  itemFaults?: number;
}

/**
 * A company's throttles. The batch fields are optional so state files saved before they existed still
 * load; `limitsOf` (company-seed.ts) fills in QuickBooks' defaults.
 */
export interface CompanyLimits {
  ratePerMinute: number;
  maxConcurrent: number;
  ratePerSecond?: number;
  batchesPerMinute?: number;
  maxBatchItems?: number;
}

/** A QuickBooks company (realm) and everything in it. */
export interface Company {
  realmId: string;
  companyName: string;
  country: Country;
  createdAt: number;
  prefs: { customTxnNumbers: boolean; multiCurrency: boolean; bookCloseDate?: string };
  flags: { subscriptionLapsed: false | '400' | '200'; closedPeriodCode: '6210' | '6200' };
  limits: CompanyLimits;
  nextId: number;
  records: Record<EntityName, Record<string, StoredRecord>>;
  replies: Record<string, StoredReply>;
}

/** One consent: a client's access to a realm, across refresh-token rotations. */
export interface Grant {
  id: string;
  clientId: string;
  realmId: string;
  createdAt: number;
  revoked: boolean;
}

/** A refresh token; `supersededAt` is set once a newer one was issued from it. */
export interface RefreshTokenRecord {
  grantId: string;
  issuedAt: number;
  supersededAt?: number;
}

/** An access token. */
export interface AccessTokenRecord {
  grantId: string;
  realmId: string;
  expiresAt: number;
}

/** A one-time authorization code. */
export interface AuthCodeRecord {
  clientId: string;
  redirectUri: string;
  realmId: string;
  expiresAt: number;
  /** PKCE (RFC 7636) S256 challenge sent with the authorize request, when there was one. */
  codeChallenge?: string;
}

/** OAuth state for every client and realm. */
export interface OAuthState {
  grants: Record<string, Grant>;
  refreshTokens: Record<string, RefreshTokenRecord>;
  accessTokens: Record<string, AccessTokenRecord>;
  codes: Record<string, AuthCodeRecord>;
}

/** Everything the simulator persists. */
export interface SimState {
  clockOffsetMs: number;
  companies: Record<string, Company>;
  oauth: OAuthState;
}

/** A fresh, empty simulator state. */
export function createEmptyState(): SimState {
  return {
    clockOffsetMs: 0,
    companies: {},
    oauth: { grants: {}, refreshTokens: {}, accessTokens: {}, codes: {} },
  };
}
