import type { QboEntity, QboRecord, WriteOptions } from '../quickbooks/client';

/**
 * The ledger port: what the sync steps ask of the books, whichever QuickBooks keeps them. A company is
 * either QuickBooks Online (the HTTP client behind quickbooks/qbo-ledger.ts) or QuickBooks Desktop
 * (qbXML through the Web Connector, desktop/desktop-ledger.ts). Records keep the canonical shape the steps
 * already build (QuickBooks Online's JSON: `Id`, `SyncToken`, `DisplayName`, `Line`, …); each
 * implementation translates. Every method throws only QboFault.
 */
export interface Ledger {
  create(
    realmId: string,
    entity: LedgerEntity,
    body: Record<string, unknown>,
    options: WriteOptions,
  ): Promise<LedgerRecord>;
  read(realmId: string, entity: LedgerEntity, id: string): Promise<LedgerRecord>;
  update(
    realmId: string,
    entity: LedgerEntity,
    body: Record<string, unknown> & { Id: string; SyncToken: string },
    options: WriteOptions & { sparse?: boolean },
  ): Promise<LedgerRecord>;
  void(
    realmId: string,
    entity: 'Invoice' | 'Payment',
    ref: { Id: string; SyncToken: string },
    options: WriteOptions,
  ): Promise<LedgerRecord>;
  /** Every record of `entity` that meets all the criteria (all pages). */
  find(realmId: string, entity: LedgerEntity, criteria?: FindCriteria): Promise<LedgerRecord[]>;
  /** Company preferences, canonical shape (`AccountingInfoPrefs.BookCloseDate`, …). */
  preferences(realmId: string): Promise<Record<string, unknown>>;
  /** Company information, canonical shape (`Country`, `CompanyAddr`, …). */
  companyInfo(realmId: string): Promise<Record<string, unknown>>;
}

export type LedgerEntity = Exclude<QboEntity, 'Preferences' | 'CompanyInfo'> | 'CompanyInfo';
export type LedgerRecord = QboRecord;

/** One condition on a canonical field: equal, at least, at most, or (text) containing the value. */
export interface Criterion {
  field: string;
  op: '=' | '>=' | '<=' | 'contains';
  value: string;
}

export interface FindCriteria {
  where?: Criterion[];
  /** Which records by their active flag; QuickBooks' own default is active ones only. */
  active?: 'active' | 'inactive' | 'any';
}

/** `field = value`: the commonest criterion. */
export const eq = (field: string, value: string): Criterion => ({ field, op: '=', value });
