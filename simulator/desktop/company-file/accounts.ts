import type { RequestHandler } from './handler';
import { runListQuery } from './list-query';
import { accountRet } from './rets';

/** AccountQuery by ListID, FullName or filters. */
export const accountQuery: RequestHandler = ({ file }, rq) =>
  runListQuery(rq.body, [...file.accounts.values()], (a) => ({ tag: 'AccountRet', value: accountRet(a) }));
