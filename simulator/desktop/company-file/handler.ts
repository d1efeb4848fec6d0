import type { QbRequest } from './qbxml-request';
import type { CompanyFile } from './records';
import type { QbStatus } from './status';

/** What one request handler answers: the status, and the objects returned on success. */
export interface HandlerResult {
  status: QbStatus;
  rets: { tag: string; value: Record<string, unknown> }[];
}

export interface HandlerContext {
  file: CompanyFile;
  nowMs: number;
}

export type RequestHandler = (ctx: HandlerContext, request: QbRequest) => HandlerResult;

export const failed = (status: QbStatus): HandlerResult => ({ status, rets: [] });
