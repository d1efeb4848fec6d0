import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** A QuickBooks company this service may write to, with its OAuth tokens encrypted at rest. */
export const connections = pgTable('connections', {
  realmId: text().primaryKey(),
  companyName: text(),
  environment: text().notNull(), // sandbox | production
  status: text().notNull(), // active | needs_reauth | revoked
  statusReason: text(),
  keyId: text().notNull(),
  accessTokenEnc: text().notNull(),
  refreshTokenEnc: text().notNull(),
  accessTokenExpiresAt: timestamp({ withTimezone: true }).notNull(),
  refreshTokenExpiresAt: timestamp({ withTimezone: true }).notNull(),
  refreshTokenHardExpiresAt: timestamp({ withTimezone: true }),
  refreshTokenIssuedAt: timestamp({ withTimezone: true }).notNull(),
  tokenVersion: integer().notNull().default(1),
  connectedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** OAuth `state` values: single use, short-lived, checked on the callback. */
export const oauthStates = pgTable('oauth_states', {
  state: text().primaryKey(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
  consumedAt: timestamp({ withTimezone: true }),
  /** The PKCE (RFC 7636) code_verifier the code exchange must send; its S256 challenge went to Intuit. */
  codeVerifier: text(),
  /** SHA-256 (base64url) of the random value in the starter's browser-binding cookie. */
  bindingHash: text(),
  /** Who started the flow: `key:<sha256 prefix of the API key>` or `session:<admin session id hash>`. */
  startedBy: text(),
  /** The company being reconnected, when the flow was started for one; the callback must be for it. */
  realmId: text(),
});

/**
 * Admin page sessions. The cookie holds a random id (signed with the server secret); only its SHA-256 is
 * stored. A session ends at `expiresAt` (absolute), after the idle timeout since `lastSeenAt`, or on logout.
 */
export const adminSessions = pgTable(
  'admin_sessions',
  {
    idHash: text().primaryKey(),
    /** `key:<sha256 prefix>` of the admin key that logged in: rotating the key ends its sessions. */
    principal: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('admin_sessions_expires_at').on(t.expiresAt)],
);

/** Random secrets generated once and shared by every API process (e.g. the session cookie signing key). */
export const serverSecrets = pgTable('server_secrets', {
  name: text().primaryKey(),
  value: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * Refused authentications per bucket (`addr:<client address>` or `key:<sha256 of the presented key>`)
 * and fixed window: the login and API-key lockout, shared by every API process.
 */
export const authFailures = pgTable(
  'auth_failures',
  {
    bucket: text().notNull(),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    failures: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.windowStart] })],
);

/**
 * The link between a source record and its QuickBooks record: the exactly-once ledger.
 * status `pending` means a create was sent whose outcome is not yet known; the next attempt
 * looks the record up by `marker` before writing again.
 */
export const links = pgTable(
  'links',
  {
    id: serial().primaryKey(),
    realmId: text().notNull(),
    entityType: text().notNull(), // Customer | Item | Invoice | Payment
    sourceId: text().notNull(),
    /** For payments: the source invoice they belong to. */
    parentSourceId: text(),
    status: text().notNull(), // pending | linked
    qboId: text(),
    syncToken: text(),
    sourceHash: text(),
    sourceVersion: integer(),
    marker: text(),
    linkedBy: text(), // sync | admin | manual | foreign (entered by someone else, linked)
    /**
     * The fields we own as QuickBooks held them right after our last write (amount, customer, lines, date,
     * number, name, active): drift is a difference from these, so our own writes and QuickBooks' own
     * bookkeeping (a payment bumping the invoice's SyncToken) never count.
     */
    written: jsonb(),
    /** What changed in QuickBooks behind our back (sync/drift.ts `Drift`), null when nothing did. */
    drift: jsonb(),
    driftSeenAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('links_realm_entity_source').on(t.realmId, t.entityType, t.sourceId),
    index('links_realm_entity_qbo').on(t.realmId, t.entityType, t.qboId),
    index('links_realm_parent').on(t.realmId, t.parentSourceId),
    index('links_realm_drift').on(t.realmId, t.driftSeenAt),
  ],
);

/** Per-company mappings of source vocabulary to QuickBooks records: tax categories and accounts. */
export const mappings = pgTable(
  'mappings',
  {
    realmId: text().notNull(),
    kind: text().notNull(), // tax_category | income_account | deposit_account
    sourceKey: text().notNull(),
    qboId: text().notNull(),
    qboName: text(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.realmId, t.kind, t.sourceKey] })],
);

/** Per-company choices for the cases where QuickBooks already has something. */
export const companyPolicies = pgTable('company_policies', {
  realmId: text().primaryKey(),
  onNameCollision: text().notNull().default('link'), // link (same party only) | ask
  onInactiveReference: text().notNull().default('ask'), // reactivate | ask
  docNumbers: text().notNull().default('source'), // source | quickbooks
  /** A payment someone else already entered in QuickBooks (same customer, amount, date window). */
  onForeignPayment: text().notNull().default('link'), // link | ask | create
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** What qbo-sync remembers about a company's QuickBooks setup, read once so syncs read nothing. */
export const companyProfiles = pgTable('company_profiles', {
  realmId: text().primaryKey(),
  country: text(),
  fetchedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * The per-company request budget shared by every worker process: one row per company, changed by one
 * UPDATE per attempt (db/queries/realm-budget.ts), so every grant costs one statement. Unlogged (migration
 * 0008): pacing state that a crash may empty, so no grant waits for a WAL flush.
 */
export const realmBudgets = pgTable('realm_budgets', {
  realmId: text().primaryKey(),
  /** No request goes before this (a 429's hold, or the time a probe has to answer). */
  backoffUntil: timestamp({ withTimezone: true }),
  /** GCRA theoretical arrival time of the next request under the per-minute limit. */
  minuteTat: timestamp({ withTimezone: true }),
  /** The last grants (at most the per-second limit), oldest first: an exact sliding second. */
  recentGrants: timestamp({ withTimezone: true })
    .array()
    .notNull()
    .default(sql`'{}'`),
  /** The last batch grants (at most the batches-per-minute limit), oldest first: an exact sliding minute. */
  recentBatches: timestamp({ withTimezone: true })
    .array()
    .notNull()
    .default(sql`'{}'`),
  /** In-flight slots: each taken slot holds its lease's end (its owner's token); null or past is free. */
  leases: timestamp({ withTimezone: true })
    .array()
    .notNull()
    .default(sql`'{}'`),
  /** 429s in a row while probing; the next hold doubles with each. 0: not throttled. */
  throttleStrikes: integer().notNull().default(0),
  /** The lease of the one request let through to probe after a hold. */
  probeLease: timestamp({ withTimezone: true }),
  /** What the last attempt decided, written by the same UPDATE that RETURNs it. */
  lastSlot: integer(),
  lastWaitMs: integer(),
});

/** A backfill: many documents submitted at once, followed as one. */
export const batches = pgTable('batches', {
  id: text().primaryKey(),
  total: integer().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const batchItems = pgTable(
  'batch_items',
  {
    batchId: text()
      .notNull()
      .references(() => batches.id, { onDelete: 'cascade' }),
    position: integer().notNull(),
    syncId: text(),
    outcome: text().notNull(), // started | updated | unchanged | rejected
    error: jsonb(),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.position] })],
);

/**
 * Change notifications QuickBooks pushed (webhooks), one row per event id, recorded before the request is
 * answered; the per-company change tracker (workflows/track-changes.ts) processes and stamps them.
 */
export const quickbooksEvents = pgTable(
  'quickbooks_events',
  {
    eventId: text().primaryKey(),
    realmId: text().notNull(),
    entity: text().notNull(), // Customer | Item | Invoice | Payment
    qboId: text().notNull(),
    operation: text().notNull(), // create | update | delete | merge | void | emailed
    /** The merged-away record of a Merge. */
    deletedId: text(),
    /** QuickBooks' time of the change (legacy lastUpdated, CloudEvents time). */
    occurredAt: timestamp({ withTimezone: true }).notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('quickbooks_events_unprocessed').on(t.realmId, t.processedAt)],
);

/** Reads (GET and query calls) qbo-sync made per company and UTC day: Intuit meters them per app. */
export const realmReads = pgTable(
  'realm_reads',
  {
    realmId: text().notNull(),
    day: text().notNull(), // YYYY-MM-DD (UTC)
    reads: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.realmId, t.day] })],
);

/**
 * The latest version of each invoice document the source app sent, stored when the API accepts it: the
 * source side of reconciliation (balances are derived from these documents) and what a re-sync re-sends.
 */
export const sourceDocuments = pgTable(
  'source_documents',
  {
    realmId: text().notNull(),
    invoiceSourceId: text().notNull(),
    customerSourceId: text().notNull(),
    version: integer().notNull(),
    document: jsonb().notNull(), // the SyncDocument as validated
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.realmId, t.invoiceSourceId] }),
    index('source_documents_realm_customer').on(t.realmId, t.customerSourceId),
  ],
);

/** What the source app declares each customer owes (PUT …/balances), compared, never trusted blindly. */
export const sourceBalances = pgTable(
  'source_balances',
  {
    realmId: text().notNull(),
    customerSourceId: text().notNull(),
    balance: text().notNull(),
    asOf: text().notNull(), // YYYY-MM-DD
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.realmId, t.customerSourceId] })],
);

/** One reconciliation run of a company: totals and every explained mismatch. */
export const reconciliations = pgTable(
  'reconciliations',
  {
    id: serial().primaryKey(),
    realmId: text().notNull(),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    finishedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    totals: jsonb().notNull(),
    mismatches: jsonb().notNull(),
    qboCalls: integer().notNull(),
  },
  (t) => [index('reconciliations_realm_id').on(t.realmId, t.id)],
);

/**
 * A person's action on a reconciliation result (void a duplicate, re-sync, link) or on a payment someone
 * else entered (create anyway). The key makes each action happen once however often it is asked for.
 */
export const reconciliationActions = pgTable(
  'reconciliation_actions',
  {
    idempotencyKey: text().primaryKey(),
    realmId: text().notNull(),
    kind: text().notNull(), // void_duplicate | resync | link | create_payment_anyway
    target: jsonb().notNull(),
    status: text().notNull(), // started | done | failed
    result: jsonb(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('reconciliation_actions_realm').on(t.realmId, t.kind)],
);

/**
 * The company's book-close date (QuickBooks Preferences.AccountingInfoPrefs.BookCloseDate) as last read,
 * shared by every sync held by a closed period: one Preferences read per company per check interval.
 * `claimedAt` is taken by the one checker that reads it; `readAt` is when `bookCloseDate` was read.
 */
export const companyBookClose = pgTable('company_book_close', {
  realmId: text().primaryKey(),
  bookCloseDate: text(), // YYYY-MM-DD, null when no closing date is set
  readAt: timestamp({ withTimezone: true }),
  claimedAt: timestamp({ withTimezone: true }),
});

/**
 * Syncs paused for a cause (auth, closed_period), written by the workflow's self-check activity: the
 * resume routes find the company's waiting syncs here as well as in visibility, which lags.
 */
export const waitingSyncs = pgTable(
  'waiting_syncs',
  {
    syncId: text().primaryKey(),
    realmId: text().notNull(),
    reason: text().notNull(), // auth | closed_period
    since: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('waiting_syncs_realm_reason').on(t.realmId, t.reason)],
);

/**
 * A QuickBooks Desktop company, reached through the Web Connector on the customer's PC (it polls us). The
 * password is the Web Connector's, typed by the admin into QBWC: only its scrypt hash is stored.
 */
export const desktopConnections = pgTable('desktop_connections', {
  /** The company's id everywhere else (links, syncs), in the same column as a QuickBooks Online realm id. */
  realmId: text().primaryKey(),
  companyName: text(),
  username: text().notNull().unique(),
  passwordHash: text().notNull(),
  /** GUIDs of the .QWC file: OwnerID names our app, FileID this company's file. */
  ownerId: text().notNull(),
  fileId: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  /** The last time the Web Connector authenticated or called with this company's ticket. */
  lastPolledAt: timestamp({ withTimezone: true }),
  /** The last problem the Web Connector reported (connectionError, a negative hresult), for the admin. */
  lastError: text(),
  /** The host, company and preferences answers QBWC sends at the start of each session (strHCPResponse). */
  hostInfo: text(),
});

/** Web Connector sessions: the ticket is a random token, of which only the SHA-256 is stored. */
export const desktopSessions = pgTable('desktop_sessions', {
  ticketHash: text().primaryKey(),
  realmId: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  closedAt: timestamp({ withTimezone: true }),
  /** The request handed out and not yet answered in this session. */
  currentRequestId: integer(),
  lastError: text(),
});

/**
 * The Desktop request queue: a step's qbXML request waits here for the Web Connector, which takes them in
 * id order and brings the responses back. status: queued → sent → answered, or failed (QuickBooks' request
 * processor refused it whole: nothing applied; `response` holds the HRESULT and message), cancelled (never
 * handed out, its step gave up) or lost (handed out in a session that ended unanswered: QuickBooks may have
 * applied it).
 */
export const desktopRequests = pgTable(
  'desktop_requests',
  {
    id: serial().primaryKey(),
    realmId: text().notNull(),
    /** A write's requestid: a repeated write takes the first one's answer, as QuickBooks Online does. */
    requestKey: text(),
    /** SHA-256 of the qbXML: a step that retries while its request still waits joins it. */
    bodyHash: text().notNull(),
    qbxml: text().notNull(),
    status: text().notNull().default('queued'),
    ticketHash: text(),
    response: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
    answeredAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('desktop_requests_realm_status').on(t.realmId, t.status, t.id),
    uniqueIndex('desktop_requests_realm_key').on(t.realmId, t.requestKey),
  ],
);
