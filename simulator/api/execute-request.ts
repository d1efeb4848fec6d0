import { qboTimestamp } from '../clock';
import { companyInfoOf, preferencesOf } from '../company-views';
import { findRecord } from '../entities/records';
import type { WriteContext } from '../entities/write-context';
import { prepareWrite } from '../entities/write-operation';
import { faults } from '../qbo-error';
import { runQuery } from '../query/run-query';
import type { QboObject } from '../state';
import { changeDataCapture } from '../changes/cdc';
import { executeBatch } from './batch';
import { ENTITY_SEGMENTS, type DataOperation } from './classify-request';

/** A parsed data-API request. */
export interface DataRequest {
  segments: string[];
  operation: DataOperation;
  body: QboObject | undefined;
  rawBody: string;
  params: URLSearchParams;
}

function read(ctx: WriteContext, segments: string[]): QboObject {
  const resource = segments[0].toLowerCase();
  if (resource === 'preferences') return { Preferences: preferencesOf(ctx.company) };
  if (resource === 'companyinfo') return { CompanyInfo: companyInfoOf(ctx.company) };
  const entity = ENTITY_SEGMENTS[resource];
  if (!entity || segments.length !== 2) throw faults.unsupportedResource(segments.join('/'));
  const record = findRecord(ctx.company, entity, segments[1]);
  if (!record || record.deleted) {
    throw entity === 'Invoice' || entity === 'Payment'
      ? faults.deletedTransaction()
      : faults.inactiveReference('Id');
  }
  return { [entity]: record.data };
}

/**
 * Performs a data-API request that has passed auth and throttling. Returns the response body
 * (without `time`); throws a QboError for any QuickBooks fault.
 */
export async function executeRequest(ctx: WriteContext, request: DataRequest): Promise<QboObject> {
  const { segments, operation, body } = request;
  switch (operation) {
    case 'read':
      if (segments[0]?.toLowerCase() === 'cdc' && segments.length === 1)
        return changeDataCapture(ctx.company, ctx.now, request.params);
      return read(ctx, segments);
    case 'query': {
      const text = request.params.get('query') ?? request.rawBody;
      if (!text.trim()) throw faults.queryParser('"<EOF>" at line 1, column 1.');
      return { QueryResponse: runQuery(ctx.company, text) };
    }
    case 'batch':
      return { BatchItemResponse: await executeBatch(ctx, body ?? {}) };
    case 'create':
    case 'update':
    case 'void':
    case 'delete': {
      const entity = ENTITY_SEGMENTS[segments[0].toLowerCase()];
      if (!entity || segments.length !== 1) throw faults.unsupportedResource(segments.join('/'));
      return prepareWrite(ctx, entity, operation, body ?? {}).apply();
    }
    default:
      throw faults.unsupportedResource(segments.join('/'));
  }
}

/** Adds QuickBooks' `time` field to a response body. */
export function withTime(body: QboObject, now: number): QboObject {
  return { ...body, time: qboTimestamp(now) };
}
