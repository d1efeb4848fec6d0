import type { Company, QboObject, StoredRecord } from '../state';

/** What a business rule needs to know about the request it is checking. */
export interface WriteContext {
  company: Company;
  now: number;
  /** Values of the `include` query parameter, e.g. `allowduplicatedocnum`. */
  includes: Set<string>;
}

/** Validates and completes one entity type's data before it is stored. */
export interface EntityRules {
  /** True for transactions (dated, voidable, deletable); false for names and lists. */
  transaction: boolean;
  /** Throws a QboError when `data` breaks a rule; returns the data to store. `existing` is set on update. */
  normalize(ctx: WriteContext, data: QboObject, existing?: StoredRecord): QboObject;
  /** The data a void leaves behind (transactions only). */
  voided?(data: QboObject): QboObject;
}
